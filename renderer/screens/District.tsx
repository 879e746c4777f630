// One line on where the district stands on a fault: told or not, received by whom, which technician,
// repaired and verified; and what district staff wrote. Shared by the board's tiles and the fault list.
import type { DistrictView } from '../../electron/station-api';
import type { ScreenProps } from '../App';

export function districtText(district: DistrictView, t: ScreenProps['t']): string {
  const { acknowledgedBy, assignee } = district;
  if (district.state === 'acknowledged' && acknowledgedBy) {
    return t('district.acknowledgedBy', { name: acknowledgedBy });
  }
  if (district.state === 'technician-assigned' && assignee) {
    return t('district.technicianNamed', { name: assignee });
  }
  return t(`district.${district.state}`);
}

export function DistrictLine({
  district,
  testId,
  className,
  t,
  language,
}: { district: DistrictView; testId?: string; className: string } & Pick<ScreenProps, 't' | 'language'>) {
  return (
    <div className={className} data-testid={testId} data-district-state={district.state}>
      <strong>{t('districtTold')}:</strong> {districtText(district, t)}
      {district.updatedAt && (
        <span className="district-updated">
          {' '}
          · {t('districtUpdated', { time: dayAndTime(district.updatedAt, language) })}
        </span>
      )}
      {district.note && (
        <>
          <br />
          <strong>{t('districtSays')}:</strong> “{district.note}”
        </>
      )}
    </div>
  );
}

function dayAndTime(iso: string, language: ScreenProps['language']): string {
  return new Date(iso).toLocaleString(language === 'id' ? 'id-ID' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

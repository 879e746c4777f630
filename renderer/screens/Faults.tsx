// Open faults with their district state.
import { useEffect, useState } from 'react';
import type { FaultView, StationEvent } from '../../electron/station-api';
import type { ScreenProps } from '../App';
import { formatTime } from './Board';

export function Faults({ api, t, text, language }: ScreenProps) {
  const [faults, setFaults] = useState<FaultView[] | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () =>
      api
        .listFaults()
        .then((list) => alive && setFaults(list))
        .catch(() => undefined);
    load();
    const unsubscribe = api.subscribe((event: StationEvent) => {
      if (event.type === 'faults-changed') {
        load();
      }
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [api]);

  if (!faults) {
    return <div className="loading">{t('checking')}</div>;
  }
  const open = faults.filter((fault) => fault.closedAt === null);
  if (open.length === 0) {
    return (
      <div className="faults-empty" data-testid="faults-empty">
        ✔ {t('noFaults')}
      </div>
    );
  }
  return (
    <ul className="faults" data-testid="faults">
      {open.map((fault) => (
        <li key={fault.id} className={`fault fault-${fault.severity}`} data-testid={`fault-${fault.code}`}>
          <div className="fault-message">{text(fault.message)}</div>
          <div className="fault-next">
            <strong>{t('nextStep')}:</strong> {text(fault.nextStep)}
          </div>
          <div className="fault-meta">
            {t('faultOpened')}{' '}
            {new Date(fault.openedAt).toLocaleDateString(language === 'id' ? 'id-ID' : 'en-GB')}{' '}
            {formatTime(fault.openedAt, language)} · <strong>{t('districtTold')}:</strong>{' '}
            {t(`district.${fault.district.state}`)}
            {fault.flapping && <span className="badge"> {t('flapping')}</span>}
            {fault.recurring && <span className="badge"> {t('recurring')}</span>}
          </div>
          {fault.district.note && (
            <div className="fault-note">
              <strong>{t('districtSays')}:</strong> “{fault.district.note}”
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

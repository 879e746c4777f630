import { useTranslator } from '../language';
import type { StationStock, StockLevel } from '../types';
import { useApi } from '../use-api';

function Level({ level, unit }: { level: StockLevel; unit: string }) {
  const { t } = useTranslator();
  return (
    <span className={level.low ? 'bad-text' : ''}>
      {level.remaining}
      {unit}
      {level.perDay !== null ? ` · ${level.perDay} ${t('perDay')}` : ''}
      {level.daysLeft !== null ? ` · ${level.daysLeft} ${t('daysLeft')}` : ''}
      {level.low ? <span className="tag bad">{t('lowStock')}</span> : null}
    </span>
  );
}

export function ConsumablesPage() {
  const { t, time } = useTranslator();
  const stock = useApi<StationStock[]>('/api/dash/consumables');
  if (stock.data === null) {
    return <p>{stock.error ?? t('loading')}</p>;
  }
  const sorted = [...stock.data].sort((left, right) => Number(right.low) - Number(left.low));
  return (
    <table className="consumables">
      <thead>
        <tr>
          <th>{t('station')}</th>
          <th>{t('blankCards')}</th>
          <th>{t('ribbons')}</th>
          <th>{t('reportedAt')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((station) => (
          <tr key={station.stationId} data-station={station.stationId} className={station.low ? 'low' : ''}>
            <td>
              {station.kecamatan} / {station.stationName}
            </td>
            <td>
              {station.blankCards === null ? t('noReport') : <Level level={station.blankCards} unit="" />}
            </td>
            <td>
              {station.ribbons.map((ribbon) => (
                <div key={ribbon.name}>
                  {ribbon.name}: <Level level={ribbon} unit={ribbon.unit === 'percent' ? '%' : ''} />
                </div>
              ))}
            </td>
            <td>{station.reportedAt === null ? '—' : time(station.reportedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

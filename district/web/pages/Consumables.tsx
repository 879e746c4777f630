import type { StationStock, StockLevel } from '../../dash-api';
import { DataTable, Pending } from '../data-table';
import { useTranslator } from '../language';
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
    return <Pending resource={stock} />;
  }
  const sorted = [...stock.data].sort((left, right) => Number(right.low) - Number(left.low));
  return (
    <DataTable className="consumables" headings={['station', 'blankCards', 'ribbons', 'reportedAt']}>
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
    </DataTable>
  );
}

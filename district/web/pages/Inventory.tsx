// Devices by serial number, spares on the shelf, and loans between stations (pinjam pakai).
import { deviceName } from '../../../protocol/device-name';
import type {
  Board,
  DeviceView,
  LoanReturnRequest,
  LoanView,
  NewLoanRequest,
  NewSpareRequest,
  User,
} from '../../dash-api';
import { api } from '../api';
import { DataTable, Loaded, PageLinks, pageRows, usePaging } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';
import { useForm } from '../use-form';

const today = (): string => new Date().toISOString().slice(0, 10);

function LoanForm({ devices, onDone }: { devices: DeviceView[]; onDone: () => void }) {
  const { t } = useTranslator();
  const board = useApi<Board>('/api/dash/board');
  const { field, submit, failure } = useForm(
    '/api/dash/inventory/loans',
    {
      deviceId: '',
      toStationId: '',
      startsOn: today(),
      dueOn: today(),
      reference: '',
      purpose: '',
    } satisfies NewLoanRequest,
    onDone,
  );
  const stations = board.data?.kecamatan.flatMap((kecamatan) => kecamatan.stations) ?? [];
  return (
    <form className="grid-form" onSubmit={submit}>
      <h3>{t('newLoan')}</h3>
      <label>
        {t('device')}
        <select {...field('deviceId')} required>
          <option value="" />
          {devices
            .filter((device) => device.loanId === null && device.status !== 'removed')
            .map((device) => (
              <option key={device.id} value={device.id}>
                {deviceName(device.vendor, device.model)} · {device.serialNumber ?? device.id} ·{' '}
                {device.stationName ?? t('shelf')}
              </option>
            ))}
        </select>
      </label>
      <label>
        {t('to')}
        <select {...field('toStationId')} required>
          <option value="" />
          {stations.map((station) => (
            <option key={station.stationId} value={station.stationId}>
              {station.kecamatan} / {station.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('startsOn')}
        <input type="date" {...field('startsOn')} required />
      </label>
      <label>
        {t('dueOn')}
        <input type="date" {...field('dueOn')} required />
      </label>
      <label>
        {t('reference')}
        <input {...field('reference')} required />
      </label>
      <label>
        {t('purpose')}
        <input {...field('purpose')} required />
      </label>
      {failure !== null ? <p className="error">{failure}</p> : null}
      <button type="submit">{t('save')}</button>
    </form>
  );
}

function SpareForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslator();
  const { field, submit, failure } = useForm(
    '/api/dash/inventory/spares',
    { serialNumber: '', vendor: '', model: '', note: '' } satisfies NewSpareRequest,
    onDone,
  );
  return (
    <form className="grid-form" onSubmit={submit}>
      <h3>{t('addSpare')}</h3>
      <label>
        {t('serial')}
        <input {...field('serialNumber')} required />
      </label>
      <label>
        {t('vendor')}
        <input {...field('vendor')} required />
      </label>
      <label>
        {t('model')}
        <input {...field('model')} required />
      </label>
      <label>
        {t('note')}
        <input {...field('note')} />
      </label>
      {failure !== null ? <p className="error">{failure}</p> : null}
      <button type="submit">{t('save')}</button>
    </form>
  );
}

export function InventoryPage({ user }: { user: User }) {
  const { t } = useTranslator();
  const devicePaging = usePaging();
  const loanPaging = usePaging();
  const devices = useApi<DeviceView[]>(`/api/dash/inventory/devices?${devicePaging.query}`);
  const loans = useApi<LoanView[]>(`/api/dash/inventory/loans?${loanPaging.query}`);
  const reload = () => {
    devices.reload();
    loans.reload();
  };
  const markReturned = (loan: LoanView) => {
    api
      .post(`/api/dash/inventory/loans/${encodeURIComponent(loan.id)}/return`, {
        returnedOn: today(),
      } satisfies LoanReturnRequest)
      .then(reload, reload);
  };
  const canEdit = user.role !== 'viewer';
  return (
    <section>
      <div className="toolbar">
        <a className="button" href="/api/dash/export/inventory.csv" download>
          {t('exportCsv')}
        </a>
      </div>
      <h2>{t('devices')}</h2>
      <Loaded resource={devices}>
        {(list) => (
          <>
            <DataTable className="devices" headings={['serial', 'device', 'role', 'where', 'state']}>
              {pageRows(devicePaging, list).map((device) => (
                <tr key={device.id} data-device={device.id}>
                  <td>{device.serialNumber ?? '—'}</td>
                  <td>{deviceName(device.vendor, device.model)}</td>
                  <td>{device.role === null ? '—' : t.word('role', device.role)}</td>
                  <td>
                    {device.stationId === null ? t('shelf') : `${device.kecamatan} / ${device.stationName}`}
                    {device.status === 'removed' ? <span className="tag">{t('removed')}</span> : null}
                    {device.loanId !== null ? <span className="tag">{t('onLoan')}</span> : null}
                  </td>
                  <td>
                    <span className={`badge ${device.working ? 'ok' : 'bad'}`}>
                      {t(device.working ? 'working' : 'notWorking')}
                    </span>
                  </td>
                </tr>
              ))}
            </DataTable>
            <PageLinks paging={devicePaging} received={list.length} />
          </>
        )}
      </Loaded>
      <h2>{t('loans')}</h2>
      <Loaded resource={loans}>
        {(list) => (
          <>
            <DataTable
              className="loans"
              headings={['reference', 'device', 'from', 'to', 'startsOn', 'dueOn', 'returnedOn', '']}
            >
              {pageRows(loanPaging, list).map((loan) => (
                <tr key={loan.id} data-loan={loan.id}>
                  <td>{loan.reference}</td>
                  <td>
                    {deviceName(loan.vendor, loan.model)} ({loan.serialNumber ?? '—'})
                  </td>
                  <td>
                    {loan.fromStationName === null
                      ? t('shelf')
                      : `${loan.fromKecamatan} / ${loan.fromStationName}`}
                  </td>
                  <td>
                    {loan.toKecamatan} / {loan.toStationName}
                  </td>
                  <td>{loan.startsOn}</td>
                  <td>{loan.dueOn}</td>
                  <td>{loan.returnedOn ?? '—'}</td>
                  <td>
                    <a
                      href={`/api/dash/inventory/loans/${encodeURIComponent(loan.id)}/record`}
                      target="_blank"
                      rel="noreferrer"
                    >
                      {t('record')}
                    </a>
                    {canEdit && loan.returnedOn === null ? (
                      <button onClick={() => markReturned(loan)}>{t('markReturned')}</button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </DataTable>
            <PageLinks paging={loanPaging} received={list.length} />
          </>
        )}
      </Loaded>
      {canEdit && devices.data !== null ? (
        <div className="forms">
          <LoanForm devices={devices.data} onDone={reload} />
          <SpareForm onDone={reload} />
        </div>
      ) : null}
    </section>
  );
}

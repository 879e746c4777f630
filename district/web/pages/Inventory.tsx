// Devices by serial number, spares on the shelf, and loans between stations (pinjam pakai).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api';
import { useTranslator } from '../language';
import type { Board, Device, Loan, User } from '../types';
import { useApi } from '../use-api';

const today = (): string => new Date().toISOString().slice(0, 10);

function LoanForm({ devices, onDone }: { devices: Device[]; onDone: () => void }) {
  const { t } = useTranslator();
  const board = useApi<Board>('/api/dash/board');
  const empty = {
    deviceId: '',
    toStationId: '',
    startsOn: today(),
    dueOn: today(),
    reference: '',
    purpose: '',
  };
  const [form, setForm] = useState(empty);
  const [failure, setFailure] = useState<string | null>(null);
  const stations = board.data?.kecamatan.flatMap((kecamatan) => kecamatan.stations) ?? [];
  const field = (name: keyof typeof form) => ({
    name,
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    api.post('/api/dash/inventory/loans', form).then(
      () => {
        setForm(empty);
        setFailure(null);
        onDone();
      },
      (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)),
    );
  };
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
                {device.vendor} {device.model} · {device.serialNumber ?? device.id} ·{' '}
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
  const empty = { serialNumber: '', vendor: '', model: '', note: '' };
  const [form, setForm] = useState(empty);
  const [failure, setFailure] = useState<string | null>(null);
  const field = (name: keyof typeof form) => ({
    name,
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    api.post('/api/dash/inventory/spares', form).then(
      () => {
        setForm(empty);
        setFailure(null);
        onDone();
      },
      (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)),
    );
  };
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
  const devices = useApi<Device[]>('/api/dash/inventory/devices');
  const loans = useApi<Loan[]>('/api/dash/inventory/loans');
  const reload = () => {
    devices.reload();
    loans.reload();
  };
  const markReturned = (loan: Loan) => {
    api
      .post(`/api/dash/inventory/loans/${encodeURIComponent(loan.id)}/return`, { returnedOn: today() })
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
      {devices.data === null ? (
        <p>{devices.error ?? t('loading')}</p>
      ) : (
        <table className="devices">
          <thead>
            <tr>
              <th>{t('serial')}</th>
              <th>{t('device')}</th>
              <th>{t('role')}</th>
              <th>{t('where')}</th>
              <th>{t('state')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.data.map((device) => (
              <tr key={device.id} data-device={device.id}>
                <td>{device.serialNumber ?? '—'}</td>
                <td>
                  {device.vendor} {device.model}
                </td>
                <td>{device.role === null ? '—' : t(`role.${device.role}`)}</td>
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
          </tbody>
        </table>
      )}
      <h2>{t('loans')}</h2>
      {loans.data === null ? (
        <p>{loans.error ?? t('loading')}</p>
      ) : (
        <table className="loans">
          <thead>
            <tr>
              <th>{t('reference')}</th>
              <th>{t('device')}</th>
              <th>{t('from')}</th>
              <th>{t('to')}</th>
              <th>{t('startsOn')}</th>
              <th>{t('dueOn')}</th>
              <th>{t('returnedOn')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {loans.data.map((loan) => (
              <tr key={loan.id} data-loan={loan.id}>
                <td>{loan.reference}</td>
                <td>
                  {loan.vendor} {loan.model} ({loan.serialNumber ?? '—'})
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
          </tbody>
        </table>
      )}
      {canEdit && devices.data !== null ? (
        <div className="forms">
          <LoanForm devices={devices.data} onDone={reload} />
          <SpareForm onDone={reload} />
        </div>
      ) : null}
    </section>
  );
}

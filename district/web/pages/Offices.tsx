// The map loan suggestions rank by: each office's coordinates and technicians' emails, and the
// district's distance table (road km and/or minutes between two offices). Everyone reads it; an
// admin edits it. Numbers may be typed with a decimal comma; a refused form keeps what was typed.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { DistanceRequest, OfficeMap, OfficeRequest, User } from '../../dash-api';
import { api, messageOf } from '../api';
import { DataTable, Loaded } from '../data-table';
import { useTranslator } from '../language';
import type { Translator } from '../language';
import { useApi } from '../use-api';

/** The value list's key of the district office (a select needs a string). */
const DISTRICT = '__district';

const officeOf = (value: string): string | null => (value === DISTRICT ? null : value);
const officeLabel = (office: string | null, t: Translator['t']): string =>
  office === null ? t('districtOffice') : `Kec. ${office}`;

/** A typed number (`-7,37` or `-7.37`); '' is null; anything else names the field. */
function parseNumber(text: string, field: string, t: Translator['t']): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') {
    return null;
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new Error(t('notANumber', { field }));
  }
  return value;
}

/**
 * A form that builds its body from the fields (a builder that throws names the bad field) and
 * posts it: the message says what went wrong, or "saved" and the new map goes to `onSaved`.
 */
function useOfficeSave(path: string, onSaved: (map: OfficeMap) => void) {
  const { t } = useTranslator();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const save = (build: () => unknown) => {
    let body: unknown;
    try {
      body = build();
    } catch (error) {
      setMessage({ error: true, text: messageOf(error) });
      return;
    }
    api.post<OfficeMap>(path, body).then(
      (saved) => {
        setMessage({ error: false, text: t('saved') });
        onSaved(saved);
      },
      (error: unknown) => setMessage({ error: true, text: messageOf(error) }),
    );
  };
  return { message, setMessage, save };
}

function OfficeForm({ map, onSaved }: { map: OfficeMap; onSaved: (map: OfficeMap) => void }) {
  const { t } = useTranslator();
  const first = map.offices[0];
  const [office, setOffice] = useState(DISTRICT);
  const [latitude, setLatitude] = useState(first?.latitude === null ? '' : String(first?.latitude ?? ''));
  const [longitude, setLongitude] = useState(first?.longitude === null ? '' : String(first?.longitude ?? ''));
  const [emails, setEmails] = useState(first?.technicianEmails.join(', ') ?? '');
  const { message, setMessage, save } = useOfficeSave('/api/dash/offices', onSaved);
  const choose = (value: string) => {
    setOffice(value);
    const current = map.offices.find((candidate) => candidate.kecamatan === officeOf(value));
    setLatitude(current?.latitude === null || current === undefined ? '' : String(current.latitude));
    setLongitude(current?.longitude === null || current === undefined ? '' : String(current.longitude));
    setEmails(current?.technicianEmails.join(', ') ?? '');
    setMessage(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save((): OfficeRequest => ({
      kecamatan: officeOf(office),
      latitude: parseNumber(latitude, 'latitude', t),
      longitude: parseNumber(longitude, 'longitude', t),
      technicianEmails: emails
        .split(/[,;\s]+/)
        .map((email) => email.trim())
        .filter((email) => email !== ''),
    }));
  };
  return (
    <form className="grid-form office-form" onSubmit={submit} noValidate>
      <h3>{t('kecamatan')}</h3>
      <label>
        {t('kecamatan')}
        <select name="kecamatan" value={office} onChange={(event) => choose(event.target.value)}>
          {map.offices.map((candidate) => (
            <option key={candidate.kecamatan ?? DISTRICT} value={candidate.kecamatan ?? DISTRICT}>
              {officeLabel(candidate.kecamatan, t)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('latitude')}
        <input
          name="latitude"
          inputMode="decimal"
          placeholder="-7,3703"
          value={latitude}
          onChange={(event) => setLatitude(event.target.value)}
        />
      </label>
      <label>
        {t('longitude')}
        <input
          name="longitude"
          inputMode="decimal"
          placeholder="111,0905"
          value={longitude}
          onChange={(event) => setLongitude(event.target.value)}
        />
      </label>
      <label>
        {t('technicianEmails')}
        <input name="technicianEmails" value={emails} onChange={(event) => setEmails(event.target.value)} />
      </label>
      {message !== null ? (
        <p className={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
      <button type="submit">{t('save')}</button>
    </form>
  );
}

function DistanceForm({ map, onSaved }: { map: OfficeMap; onSaved: (map: OfficeMap) => void }) {
  const { t } = useTranslator();
  const [from, setFrom] = useState(DISTRICT);
  const [to, setTo] = useState(DISTRICT);
  const [roadKm, setRoadKm] = useState('');
  const [minutes, setMinutes] = useState('');
  const { message, save } = useOfficeSave('/api/dash/offices/distances', onSaved);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save((): DistanceRequest => ({
      from: officeOf(from),
      to: officeOf(to),
      roadKm: parseNumber(roadKm, 'roadKm', t),
      minutes: parseNumber(minutes, 'minutes', t),
    }));
  };
  const choices = map.offices.map((candidate) => (
    <option key={candidate.kecamatan ?? DISTRICT} value={candidate.kecamatan ?? DISTRICT}>
      {officeLabel(candidate.kecamatan, t)}
    </option>
  ));
  return (
    <form className="grid-form distance-form" onSubmit={submit} noValidate>
      <h3>{t('distanceTable')}</h3>
      <label>
        {t('from')}
        <select name="from" value={from} onChange={(event) => setFrom(event.target.value)}>
          {choices}
        </select>
      </label>
      <label>
        {t('to')}
        <select name="to" value={to} onChange={(event) => setTo(event.target.value)}>
          {choices}
        </select>
      </label>
      <label>
        {t('roadKm')}
        <input
          name="roadKm"
          inputMode="decimal"
          value={roadKm}
          onChange={(event) => setRoadKm(event.target.value)}
        />
      </label>
      <label>
        {t('travelMinutes')}
        <input
          name="minutes"
          inputMode="numeric"
          value={minutes}
          onChange={(event) => setMinutes(event.target.value)}
        />
      </label>
      {message !== null ? (
        <p className={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
      <button type="submit">{t('save')}</button>
    </form>
  );
}

export function OfficesPage({ user }: { user: User }) {
  const { t, language } = useTranslator();
  const resource = useApi<OfficeMap>('/api/dash/offices');
  const decimal = (value: number): string => value.toLocaleString(language === 'id' ? 'id-ID' : 'en-GB');
  const [saved, setSaved] = useState<OfficeMap | null>(null);
  const remove = (from: string | null, to: string | null) => {
    const body: DistanceRequest = { from, to, remove: true };
    api.post<OfficeMap>('/api/dash/offices/distances', body).then(setSaved, resource.reload);
  };
  return (
    <Loaded resource={resource}>
      {(loaded) => {
        const map = saved ?? loaded;
        return (
          <section className="offices">
            <h2>{t('navOffices')}</h2>
            <p className="muted">
              {t('officesIntro', { factor: decimal(map.roadFactor), speed: map.speedKmh })}
            </p>
            <DataTable headings={['kecamatan', 'latitude', 'longitude', 'technicianEmails']}>
              {map.offices.map((office) => (
                <tr key={office.kecamatan ?? DISTRICT}>
                  <td>{officeLabel(office.kecamatan, t)}</td>
                  <td>{office.latitude ?? '—'}</td>
                  <td>{office.longitude ?? '—'}</td>
                  <td>{office.technicianEmails.join(', ') || '—'}</td>
                </tr>
              ))}
            </DataTable>
            <h3>{t('distanceTable')}</h3>
            <DataTable headings={['from', 'to', 'roadKm', 'travelMinutes', '']}>
              {map.distances.map((row) => (
                <tr key={`${row.from ?? ''}|${row.to ?? ''}`}>
                  <td>{officeLabel(row.from, t)}</td>
                  <td>{officeLabel(row.to, t)}</td>
                  <td>{row.roadKm ?? '—'}</td>
                  <td>{row.minutes ?? '—'}</td>
                  <td>
                    {user.role === 'admin' ? (
                      <button onClick={() => remove(row.from, row.to)}>{t('remove')}</button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </DataTable>
            {user.role === 'admin' ? (
              <div className="forms">
                <OfficeForm map={map} onSaved={setSaved} />
                <DistanceForm map={map} onSaved={setSaved} />
              </div>
            ) : null}
          </section>
        );
      }}
    </Loaded>
  );
}

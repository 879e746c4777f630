// Technician mode behind a PIN: raw USB descriptors, check history, live log, serial console,
// re-run checks, adopt baseline, enrollment, diagnostics bundle.
import { useEffect, useState } from 'react';
import type {
  CheckHistoryEntry,
  LogLine,
  SerialReply,
  StationEvent,
  UsbDeviceView,
} from '../../electron/station-api';
import { ROLES, type Role } from '../../protocol/roles';
import type { ScreenProps } from '../App';
import { formatTime } from './Board';
import { TechnicianForecasts } from './TechnicianForecasts';

type Tab = 'devices' | 'history' | 'forecasts' | 'logs' | 'serial' | 'actions';

function hex(value: number): string {
  return value.toString(16).padStart(4, '0');
}

function PinPad({ api, t, language, onUnlocked }: ScreenProps & { onUnlocked: (token: string) => void }) {
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [locked, setLocked] = useState(false);
  const [busy, setBusy] = useState(false);
  const press = (digit: string) => setPin((value) => (value.length < 12 ? value + digit : value));
  const submit = () => {
    setBusy(true);
    api
      .unlockTechnician(pin)
      .then((result) => {
        setPin('');
        if (result.ok) {
          onUnlocked(result.token);
        } else if (result.reason === 'locked') {
          setLocked(true);
          setMessage(t('pinLocked', { time: formatTime(result.lockedUntil, language) }));
        } else {
          setMessage(t('pinWrong', { attempts: result.attemptsLeft }));
        }
      })
      .catch(() => setMessage(t('errorGeneric')))
      .finally(() => setBusy(false));
  };
  return (
    <div className="pin" data-testid="pin">
      <h1>{t('pinTitle')}</h1>
      <p>{t('pinPrompt')}</p>
      <input
        className="pin-input"
        type="password"
        inputMode="numeric"
        data-testid="pin-input"
        value={pin}
        onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, 12))}
        onKeyDown={(event) => event.key === 'Enter' && submit()}
      />
      <div className="pin-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9', '⌫', '0', 'OK'].map((key) => (
          <button
            key={key}
            type="button"
            className="pin-key"
            disabled={busy}
            onClick={() =>
              key === '⌫' ? setPin((value) => value.slice(0, -1)) : key === 'OK' ? submit() : press(key)
            }
          >
            {key}
          </button>
        ))}
      </div>
      <button
        type="button"
        className="button-primary"
        data-testid="pin-submit"
        disabled={busy || pin.length === 0}
        onClick={submit}
      >
        {t('unlock')}
      </button>
      {message && (
        <div
          className={locked ? 'error' : 'field-error'}
          role="alert"
          data-testid="pin-message"
          data-locked={String(locked)}
        >
          {message}
        </div>
      )}
    </div>
  );
}

function Panel(props: ScreenProps & { token: string; onLock: () => void }) {
  const { api, t, token, onLock } = props;
  const [tab, setTab] = useState<Tab>('devices');
  const [devices, setDevices] = useState<UsbDeviceView[]>([]);
  const [role, setRole] = useState<Role>('camera');
  const [history, setHistory] = useState<CheckHistoryEntry[]>([]);
  const [logs, setLogs] = useState<LogLine[]>([]);
  const [serial, setSerial] = useState({ path: '', baudRate: '2400', data: 'Q1\\r' });
  const [reply, setReply] = useState<SerialReply | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [enrollment, setEnrollment] = useState({ districtUrl: '', code: '' });
  const [newPin, setNewPin] = useState('');
  const [insecureLink, setInsecureLink] = useState(false);

  useEffect(() => {
    api
      .getSettings()
      .then((settings) => setInsecureLink(settings.districtLinkInsecure))
      .catch(() => undefined);
  }, [api]);

  useEffect(() => {
    if (tab === 'devices') {
      api.technician
        .usbTree(token)
        .then(setDevices)
        .catch(() => undefined);
    }
    if (tab === 'history') {
      api.technician
        .history(token, role, 50)
        .then(setHistory)
        .catch(() => undefined);
    }
    if (tab !== 'logs') {
      return undefined;
    }
    api.technician
      .logs(token)
      .then(setLogs)
      .catch(() => undefined);
    return api.subscribe((event: StationEvent) => {
      if (event.type === 'log') {
        setLogs((previous) => [...previous.slice(-499), event.line]);
      }
    });
  }, [api, token, tab, role]);

  const act = (work: Promise<string>) => {
    setNotice(null);
    work.then(setNotice).catch((error: unknown) => setNotice(`${t('errorGeneric')} (${String(error)})`));
  };
  const sendSerial = () =>
    api.technician
      .serial({
        token,
        path: serial.path,
        baudRate: Number(serial.baudRate) || 2400,
        // Technicians type \r and \n as escapes.
        data: serial.data.replace(/\\r/g, '\r').replace(/\\n/g, '\n'),
        timeoutMs: 3000,
      })
      .then(setReply)
      .catch((error: unknown) => setNotice(String(error)));

  return (
    <div className="technician" data-testid="technician">
      {insecureLink && (
        <div className="error" role="alert" data-testid="insecure-district-link">
          {t('insecureDistrictLink')}
        </div>
      )}
      <div className="tabs">
        {(['devices', 'history', 'forecasts', 'logs', 'serial', 'actions'] as const).map((name) => (
          <button
            key={name}
            type="button"
            className={name === tab ? 'nav-on' : ''}
            data-testid={`tab-${name}`}
            onClick={() => setTab(name)}
          >
            {t(
              name === 'devices'
                ? 'tabDevices'
                : name === 'history'
                  ? 'tabHistory'
                  : name === 'forecasts'
                    ? 'tabForecasts'
                    : name === 'logs'
                      ? 'tabLogs'
                      : name === 'serial'
                        ? 'tabSerial'
                        : 'tabActions',
            )}
          </button>
        ))}
        <button type="button" className="button" data-testid="lock" onClick={onLock}>
          {t('lock')}
        </button>
      </div>
      {notice && (
        <div className="notice" data-testid="notice">
          {notice}
        </div>
      )}
      {tab === 'devices' && (
        <table className="raw" data-testid="usb-tree">
          <thead>
            <tr>
              <th>Bus-port</th>
              <th>VID:PID</th>
              <th>Class</th>
              <th>USB</th>
              <th>Manufacturer / product</th>
              <th>Serial</th>
              <th>{t('role')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((device) => (
              <tr key={device.key}>
                <td>
                  {device.bus ?? '?'}-{(device.ports ?? []).join('.')}
                </td>
                <td className="mono">
                  {hex(device.vendorId)}:{hex(device.productId)}
                </td>
                <td className="mono">
                  {device.deviceClass.toString(16).padStart(2, '0')}/{device.deviceSubclass}/
                  {device.deviceProtocol}
                  {device.interfaceClasses
                    ? ` [${device.interfaceClasses.map((value) => value.toString(16)).join(',')}]`
                    : ''}
                </td>
                <td>{device.usbVersion ?? ''}</td>
                <td>
                  {device.manufacturer ?? ''} {device.product ?? ''}
                </td>
                <td className="mono">{device.serialNumber ?? ''}</td>
                <td>{device.role ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tab === 'forecasts' && <TechnicianForecasts {...props} token={token} />}
      {tab === 'history' && (
        <div>
          <select
            value={role}
            data-testid="history-role"
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {ROLES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button"
            onClick={() => act(api.technician.rerun(token, [role]).then(() => t('saved')))}
          >
            {t('rerunRole')}
          </button>
          <table className="raw" data-testid="history">
            <tbody>
              {history.map((entry) => (
                <tr key={entry.checkedAt + entry.code}>
                  <td>{entry.checkedAt}</td>
                  <td>{entry.status}</td>
                  <td className="mono">{entry.code}</td>
                  <td>{entry.durationMs} ms</td>
                  <td className="mono">{JSON.stringify(entry.measurements)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {tab === 'logs' && (
        <pre className="log" data-testid="log">
          {logs.map((line) => `${line.at} ${line.level.toUpperCase()} ${line.message}`).join('\n')}
        </pre>
      )}
      {tab === 'serial' && (
        <div className="serial">
          <label className="field">
            {t('serialPort')}
            <input
              data-testid="serial-path"
              value={serial.path}
              onChange={(event) => setSerial({ ...serial, path: event.target.value })}
            />
          </label>
          <label className="field">
            {t('serialBaud')}
            <input
              value={serial.baudRate}
              onChange={(event) => setSerial({ ...serial, baudRate: event.target.value })}
            />
          </label>
          <label className="field">
            {t('serialData')}
            <input
              data-testid="serial-data"
              value={serial.data}
              onChange={(event) => setSerial({ ...serial, data: event.target.value })}
            />
          </label>
          <button type="button" className="button-primary" data-testid="serial-send" onClick={sendSerial}>
            {t('serialSend')}
          </button>
          {reply && (
            <pre className="log" data-testid="serial-reply">
              {reply.ok ? reply.text : reply.message}
              {'\n'}
              {reply.hex} ({reply.elapsedMs} ms)
            </pre>
          )}
        </div>
      )}
      {tab === 'actions' && (
        <div className="tech-actions">
          <button
            type="button"
            className="button"
            data-testid="rerun-all"
            onClick={() => act(api.technician.rerun(token).then(() => t('saved')))}
          >
            {t('rerunAll')}
          </button>
          <button
            type="button"
            className="button"
            data-testid="adopt-baseline"
            onClick={() =>
              act(
                api.technician
                  .adoptBaseline(token)
                  .then((result) => t('adopted', { roles: result.roles.join(', ') })),
              )
            }
          >
            {t('adoptBaseline')}
          </button>
          <button
            type="button"
            className="button"
            data-testid="export-diagnostics"
            onClick={() =>
              act(
                api.technician.exportDiagnostics(token).then((bundle) => {
                  const link = document.createElement('a');
                  link.href = `data:application/zip;base64,${bundle.base64}`;
                  link.download = bundle.fileName;
                  link.click();
                  return t('exported', { file: bundle.fileName, bytes: bundle.bytes });
                }),
              )
            }
          >
            {t('exportDiagnostics')}
          </button>
          <fieldset>
            <legend>{t('enrollTitle')}</legend>
            <label className="field">
              {t('districtUrl')}
              <input
                value={enrollment.districtUrl}
                onChange={(event) => setEnrollment({ ...enrollment, districtUrl: event.target.value })}
              />
            </label>
            <label className="field">
              {t('enrollCode')}
              <input
                value={enrollment.code}
                onChange={(event) => setEnrollment({ ...enrollment, code: event.target.value })}
              />
            </label>
            <button
              type="button"
              className="button"
              onClick={() =>
                act(api.technician.enroll({ token, ...enrollment }).then((result) => result.message))
              }
            >
              {t('enroll')}
            </button>
          </fieldset>
          <fieldset>
            <legend>{t('changePin')}</legend>
            <label className="field">
              {t('newPin')}
              <input
                type="password"
                inputMode="numeric"
                value={newPin}
                onChange={(event) => setNewPin(event.target.value.replace(/\D/g, ''))}
              />
            </label>
            <button
              type="button"
              className="button"
              onClick={() => act(api.technician.changePin(token, newPin).then(() => t('saved')))}
            >
              {t('changePin')}
            </button>
          </fieldset>
        </div>
      )}
    </div>
  );
}

export function Technician(props: ScreenProps) {
  const [token, setToken] = useState<string | null>(null);
  if (!token) {
    return <PinPad {...props} onUnlocked={setToken} />;
  }
  return (
    <Panel
      {...props}
      token={token}
      onLock={() => {
        props.api.lockTechnician(token).catch(() => undefined);
        setToken(null);
      }}
    />
  );
}

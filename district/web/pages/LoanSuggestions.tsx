// "Cari pinjaman" on a fault that stops recording: what can fill the gap today, nearest first,
// each with why it can be spared, how far it is (the district's table, or "perkiraan"), its
// condition and history; a technician lends one with a letter number and a due date.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { deviceName } from '../../../protocol/device-name';
import type { AcceptedLoan, AcceptLoanRequest, LoanCandidate, LoanSuggestions } from '../../dash-api';
import { api, messageOf } from '../api';
import { Pending } from '../data-table';
import { useTranslator } from '../language';
import type { Translator } from '../language';
import { useApi } from '../use-api';

const DAY_MS = 86_400_000;
/** A loan's default length: two weeks, time for a repair or a replacement to arrive. */
const DEFAULT_LOAN_DAYS = 14;

const officeLabel = (office: string | null, t: Translator['t']): string =>
  office === null ? t('districtOffice') : `Kec. ${office}`;

function TravelLine({ candidate, suggestions }: { candidate: LoanCandidate; suggestions: LoanSuggestions }) {
  const { t, language } = useTranslator();
  const travel = candidate.travel;
  // 13,7 km in Indonesian, 13.7 km in English.
  const number = (value: number | null): string =>
    value === null ? '—' : value.toLocaleString(language === 'id' ? 'id-ID' : 'en-GB');
  switch (travel.source) {
    case 'same-kecamatan':
      return <span className="travel">{t('loanTravelSame')}</span>;
    case 'unknown':
      return <span className="travel muted">{t('loanTravelUnknown')}</span>;
    case 'table':
      return (
        <span className="travel">
          {t('loanTravelTable', {
            distance: [
              ...(travel.km === null ? [] : [`${number(travel.km)} km`]),
              ...(travel.minutes === null
                ? []
                : [`${travel.minutesFromTable ? '' : '± '}${t('loanMinutes', { minutes: travel.minutes })}`]),
            ].join(', '),
          })}
        </span>
      );
    case 'estimate':
      return (
        <span className="travel">
          {t('loanTravelEstimate', { km: number(travel.km), minutes: number(travel.minutes) })}{' '}
          <span
            className="tag estimate"
            title={t('loanEstimateHint', {
              straight: number(travel.straightKm),
              factor: number(suggestions.roadFactor),
              speed: suggestions.speedKmh,
            })}
          >
            {t('loanEstimateTag')}
          </span>
        </span>
      );
  }
}

function AcceptForm({
  candidate,
  suggestions,
  path,
  onAccepted,
}: {
  candidate: LoanCandidate;
  suggestions: LoanSuggestions;
  path: string;
  onAccepted: (accepted: AcceptedLoan) => void;
}) {
  const { t } = useTranslator();
  const [reference, setReference] = useState('');
  const [dueOn, setDueOn] = useState(
    new Date(Date.parse(suggestions.today) + DEFAULT_LOAN_DAYS * DAY_MS).toISOString().slice(0, 10),
  );
  const [purpose, setPurpose] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reference.trim() === '') {
      setFailure(t('loanRequired', { field: t('reference') }));
      return;
    }
    const body: AcceptLoanRequest = { deviceId: candidate.device.id, dueOn, reference, purpose };
    setFailure(null);
    api
      .post<AcceptedLoan>(`${path}/accept`, body)
      .then(onAccepted, (error: unknown) => setFailure(messageOf(error)));
  };
  return (
    <form className="grid-form loan-accept" onSubmit={submit} noValidate>
      <strong>
        {t('loanAcceptTitle', {
          station: `Kec. ${suggestions.fault.kecamatan} / ${suggestions.fault.stationName}`,
        })}
      </strong>
      <label>
        {t('reference')}
        <input name="reference" value={reference} onChange={(event) => setReference(event.target.value)} />
      </label>
      <label>
        {t('dueOn')}
        <input
          type="date"
          name="dueOn"
          min={suggestions.today}
          value={dueOn}
          onChange={(event) => setDueOn(event.target.value)}
        />
      </label>
      <label>
        {t('purpose')}
        <input
          name="purpose"
          placeholder={t('loanPurposeHint')}
          value={purpose}
          onChange={(event) => setPurpose(event.target.value)}
        />
      </label>
      {failure !== null ? (
        <p className="error" role="alert">
          {failure}
        </p>
      ) : null}
      <button type="submit">{t('loanAccept')}</button>
    </form>
  );
}

function Candidate({
  candidate,
  suggestions,
  path,
  canAccept,
  onAccepted,
}: {
  candidate: LoanCandidate;
  suggestions: LoanSuggestions;
  path: string;
  canAccept: boolean;
  onAccepted: (accepted: AcceptedLoan) => void;
}) {
  const { t, time, language } = useTranslator();
  const [accepting, setAccepting] = useState(false);
  const { device, fromStation } = candidate;
  const verdict = candidate.condition.lastVerdict;
  return (
    <li className={`loan-candidate kind-${candidate.kind}`} data-device={device.id}>
      <div className="loan-head">
        <span className="rank">{candidate.rank}</span>
        <strong>{deviceName(device.vendor, device.model) ?? t.word('role', device.role ?? '')}</strong>
        <span className="muted">
          {t('serial')} {device.serialNumber ?? '—'}
        </span>
      </div>
      <div>
        {t('from')}:{' '}
        {fromStation === null
          ? t('shelf')
          : `Kec. ${fromStation.kecamatan} / ${fromStation.name} (${t.word('stationState', fromStation.state)})`}
        {' · '}
        {t(`loanKind.${candidate.kind}`, {
          kecamatan: fromStation?.kecamatan ?? '',
          stations: candidate.stillRecording.join(', '),
        })}
      </div>
      <div>
        <TravelLine candidate={candidate} suggestions={suggestions} />
      </div>
      <div>
        {t('loanCondition')}:{' '}
        {candidate.condition.warnings.length === 0
          ? t('loanNoWarnings')
          : candidate.condition.warnings.map((warning) => warning.message[language]).join('; ')}
        {' · '}
        {verdict === null
          ? t('loanNoVerdict')
          : t('loanLastVerdict', { status: t.word('status', verdict.status), time: time(verdict.at) })}
      </div>
      <div className="muted">
        {t('loanHistoryLine', {
          faults: candidate.history.earlierFaultCount,
          loans: candidate.history.loanCount,
        })}
        {candidate.history.earlierFaults.length > 0
          ? ` (${candidate.history.earlierFaults
              .map((fault) => `${fault.code}, ${time(fault.firstSeen)}, Kec. ${fault.kecamatan}`)
              .join('; ')})`
          : ''}
      </div>
      {canAccept ? (
        accepting ? (
          <AcceptForm candidate={candidate} suggestions={suggestions} path={path} onAccepted={onAccepted} />
        ) : (
          <button onClick={() => setAccepting(true)}>{t('loanAccept')}</button>
        )
      ) : null}
    </li>
  );
}

function Accepted({ accepted }: { accepted: AcceptedLoan }) {
  const { t } = useTranslator();
  return (
    <div className="notice loan-done" role="status">
      <p>
        {t('loanAccepted', { reference: accepted.loan.reference })}{' '}
        <a
          href={`/api/dash/inventory/loans/${encodeURIComponent(accepted.loan.id)}/record`}
          target="_blank"
          rel="noreferrer"
        >
          {t('record')}
        </a>
      </p>
      {accepted.notified.length > 0 ? (
        <p>{t('loanNotified', { emails: accepted.notified.join(', ') })}</p>
      ) : null}
      {accepted.notDelivered.length > 0 ? (
        <p className="error">
          {t('loanNotDelivered', {
            emails: accepted.notDelivered.map((failure) => `${failure.email} (${failure.reason})`).join(', '),
          })}
        </p>
      ) : null}
      {accepted.officesWithoutEmail.length > 0 ? (
        <p className="error">
          {t('loanNoEmail', {
            offices: accepted.officesWithoutEmail.map((office) => officeLabel(office, t)).join(', '),
          })}
        </p>
      ) : null}
    </div>
  );
}

export function LoanSuggestionsPanel({
  stationId,
  faultId,
  canAccept,
}: {
  stationId: string;
  faultId: string;
  canAccept: boolean;
}) {
  const { t } = useTranslator();
  const path = `/api/dash/faults/${encodeURIComponent(stationId)}/${encodeURIComponent(faultId)}/loan-suggestions`;
  const suggestions = useApi<LoanSuggestions>(path);
  const [accepted, setAccepted] = useState<AcceptedLoan | null>(null);
  if (accepted !== null) {
    return (
      <section className="loan-suggestions">
        <Accepted accepted={accepted} />
      </section>
    );
  }
  if (suggestions.data === null) {
    return <Pending resource={suggestions} />;
  }
  const data = suggestions.data;
  return (
    <section className="loan-suggestions">
      <h3>{t('loanTitle')}</h3>
      {data.officesWithoutCoordinates.length > 0 ? (
        <p className="muted">
          {t('loanMissingCoordinates', {
            offices: data.officesWithoutCoordinates.map((office) => officeLabel(office, t)).join(', '),
          })}
        </p>
      ) : null}
      {data.candidates.length === 0 ? (
        <p className="notice">{t('loanNone', { role: t.word('role', data.fault.role) })}</p>
      ) : (
        <ol className="loan-list">
          {data.candidates.map((candidate) => (
            <Candidate
              key={candidate.device.id}
              candidate={candidate}
              suggestions={data}
              path={path}
              canAccept={canAccept}
              onAccepted={setAccepted}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

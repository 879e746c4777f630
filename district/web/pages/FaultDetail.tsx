// One fault: which device, since when, what the district is doing, every transition; and the
// technician's actions (acknowledge, assign repair, ask for a re-check, close, reopen). A fault of a
// district that runs its own server (forwardedFrom) is a copy here: one line says where it is
// handled, and no action, letter or loan is offered (the server refuses them: 409 forwarded).
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Assignee, FaultActionRequest, FaultDetail, User } from '../../dash-api';
import { api, messageOf } from '../api';
import { Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';
import { EscalationLetterPanel } from './EscalationLetter';
import { FaultTags } from './FaultTags';
import { deviceName } from './fault-format';
import { LoanSuggestionsPanel } from './LoanSuggestions';

/** The choice of "someone else": the free-text field appears. */
const OTHER = '__other';

/**
 * Assigning the repair: a technician or admin of the district from the list, or someone else by
 * name (a vendor's engineer). An empty choice is refused here, visibly, before anything is sent.
 */
function AssignForm({ onAssign }: { onAssign: (assignee: string, note: string) => void }) {
  const { t } = useTranslator();
  const assignees = useApi<Assignee[]>('/api/dash/assignees');
  const [choice, setChoice] = useState('');
  const [other, setOther] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const assignee = (choice === OTHER ? other : choice).trim();
    setMissing(assignee === '');
    if (assignee !== '') {
      onAssign(assignee, note);
    }
  };
  return (
    <form onSubmit={submit} className="inline assign" noValidate>
      <select
        name="technician"
        aria-label={t('assignee')}
        aria-invalid={missing}
        value={choice}
        onChange={(event) => {
          setChoice(event.target.value);
          setMissing(false);
        }}
      >
        <option value="">{t('chooseTechnician')}</option>
        {(assignees.data ?? []).map((person) => (
          <option key={person.username} value={person.name}>
            {person.name} ({t.word('staffRole', person.role)})
          </option>
        ))}
        <option value={OTHER}>{t('otherPerson')}</option>
      </select>
      {choice === OTHER ? (
        <input
          name="assignee"
          placeholder={t('otherPersonName')}
          aria-invalid={missing}
          value={other}
          onChange={(event) => {
            setOther(event.target.value);
            setMissing(false);
          }}
        />
      ) : null}
      <input
        name="note"
        placeholder={t('note')}
        value={note}
        onChange={(event) => setNote(event.target.value)}
      />
      <button type="submit">{t('startRepair')}</button>
      {missing ? (
        <p className="error assign-error" role="alert">
          {t('assigneeRequired')}
        </p>
      ) : null}
    </form>
  );
}

export function FaultDetailPage({
  stationId,
  faultId,
  user,
}: {
  stationId: string;
  faultId: string;
  user: User;
}) {
  const { t, time, age, language } = useTranslator();
  const path = `/api/dash/faults/${encodeURIComponent(stationId)}/${encodeURIComponent(faultId)}`;
  const fault = useApi<FaultDetail>(path);
  const [failure, setFailure] = useState<string | null>(null);
  const [seekingLoan, setSeekingLoan] = useState(false);
  if (fault.data === null) {
    return <Pending resource={fault} />;
  }
  const detail = fault.data;
  const act = (body: FaultActionRequest) => {
    setFailure(null);
    api.post(`${path}/actions`, body).then(fault.reload, (error: unknown) => setFailure(messageOf(error)));
  };
  const forwarded = detail.forwardedFrom !== null;
  const canAct = user.role !== 'viewer' && !forwarded;
  return (
    <section className="fault-detail">
      <h2>
        {detail.message[language]}{' '}
        <span className={`state state-${detail.state}`}>{t(`state.${detail.state}`)}</span>
      </h2>
      <dl>
        <dt>{t('station')}</dt>
        <dd>
          {t('kecamatan')} {detail.kecamatan} / {detail.stationName}
        </dd>
        <dt>{t('device')}</dt>
        <dd>
          {t.word('role', detail.role)}: {deviceName(detail, t)}
        </dd>
        <dt>{t('sinceLabel')}</dt>
        <dd>
          {time(detail.firstSeen)} ({age(detail.ageHours)})
        </dd>
        <dt>{t('severity')}</dt>
        <dd>
          {t.word('severity', detail.severity)} · {detail.code} · ×{detail.occurrences}
          <FaultTags fault={detail} />
        </dd>
        <dt>{t('acknowledgedBy')}</dt>
        <dd>
          {detail.acknowledgedBy === null ? '—' : `${detail.acknowledgedBy}, ${time(detail.acknowledgedAt)}`}
        </dd>
        <dt>{t('assignee')}</dt>
        <dd>
          {detail.assignee ?? '—'}
          {detail.repairNote ? ` — ${detail.repairNote}` : ''}
        </dd>
      </dl>
      {forwarded ? (
        <p className="notice forwarded" role="note">
          {t('forwardedReadOnly', { district: detail.forwardedFrom ?? '' })}
        </p>
      ) : null}
      {detail.verificationPending ? <p className="notice">{t('verificationPending')}</p> : null}
      {failure !== null ? <p className="error">{failure}</p> : null}
      {canAct ? (
        <div className="actions">
          {detail.state === 'open' ? (
            <button onClick={() => act({ type: 'acknowledge' })}>{t('acknowledge')}</button>
          ) : null}
          {['open', 'acknowledged', 'in-repair'].includes(detail.state) ? (
            <AssignForm
              onAssign={(assignee, repairNote) => act({ type: 'repair', assignee, note: repairNote })}
            />
          ) : null}
          {detail.state !== 'closed' ? (
            <button onClick={() => act({ type: 'verify' })}>{t('verify')}</button>
          ) : null}
          {detail.state === 'resolved' ? (
            <button onClick={() => act({ type: 'close' })}>{t('close')}</button>
          ) : null}
          {detail.state === 'resolved' || detail.state === 'closed' ? (
            <button onClick={() => act({ type: 'reopen' })}>{t('reopen')}</button>
          ) : null}
        </div>
      ) : null}
      {forwarded ? null : <EscalationLetterPanel stationId={stationId} faultId={faultId} user={user} />}
      {detail.blocksRecording && !forwarded ? (
        seekingLoan ? (
          <LoanSuggestionsPanel stationId={stationId} faultId={faultId} canAccept={canAct} />
        ) : (
          <button className="find-loan" onClick={() => setSeekingLoan(true)}>
            {t('loanFind')}
          </button>
        )
      ) : null}
      <h3>{t('history')}</h3>
      <ol className="history">
        {detail.history.map((entry, index) => (
          <li key={index} data-kind={entry.kind}>
            <span className="muted">{time(entry.at)}</span> <strong>{t(`kind.${entry.kind}`)}</strong>
            {entry.actor !== null ? ` — ${entry.actor}` : ''}
            {typeof entry.detail.assignee === 'string' ? ` → ${entry.detail.assignee}` : ''}
            {typeof entry.detail.note === 'string' && entry.detail.note !== ''
              ? ` (${entry.detail.note})`
              : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

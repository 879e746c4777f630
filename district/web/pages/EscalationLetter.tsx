// The escalation letter on a fault's page: past the district's threshold, a technician writes the
// letter to the province or the ministry's directorate (a new number each time) and opens its PDF;
// the letters already written are listed. Younger faults say when a letter becomes possible.
// First: this page builds dash-api.ts's schemas (zod-without-eval.ts).
import '../zod-without-eval';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type {
  EscalationLetterStatus,
  EscalationLetterView,
  NewEscalationLetterRequest,
  User,
} from '../../dash-api';
import { LETTER_RECIPIENTS, LETTER_URGENCIES } from '../../dash-api';
import type { LetterRecipient } from '../../dash-api';
import { api, messageOf } from '../api';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

export function EscalationLetterPanel({
  stationId,
  faultId,
  user,
}: {
  stationId: string;
  faultId: string;
  user: User;
}) {
  const { t, time } = useTranslator();
  const status = useApi<EscalationLetterStatus>(
    `/api/dash/escalation-letters?station=${encodeURIComponent(stationId)}&fault=${encodeURIComponent(faultId)}`,
  );
  const [recipient, setRecipient] = useState<LetterRecipient>('province');
  const [sifat, setSifat] = useState<(typeof LETTER_URGENCIES)[number]>('Penting');
  const [lampiran, setLampiran] = useState('');
  const [perihal, setPerihal] = useState('');
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<EscalationLetterView | null>(null);
  if (status.data === null) {
    return null;
  }
  const { eligible, configured, thresholdHours, letters } = status.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setBusy(true);
    const body: NewEscalationLetterRequest = {
      stationId,
      faultId,
      recipient,
      sifat,
      lampiran,
      perihal,
      note,
    };
    api.post<EscalationLetterView>('/api/dash/escalation-letters', body).then(
      (letter) => {
        setBusy(false);
        setWritten(letter);
        status.reload();
        // A browser may block a tab opened after the request: the notice below links the PDF too.
        window.open(letter.pdfUrl, '_blank', 'noopener');
      },
      (error: unknown) => {
        setBusy(false);
        setFailure(messageOf(error));
      },
    );
  };
  return (
    <section className="escalation-letter">
      <h3>{t('letterTitle')}</h3>
      {!eligible ? (
        <p className="muted letter-reason">
          {status.data.reason ?? t('letterNotYet', { days: Math.floor(thresholdHours / 24) })}
        </p>
      ) : null}
      {eligible && !configured ? (
        <p className="notice">
          {t('letterNotConfigured')} {user.role === 'admin' ? <a href="#/surat">{t('navLetters')}</a> : null}
        </p>
      ) : null}
      {eligible && configured && user.role !== 'viewer' ? (
        <form className="letter-form" onSubmit={submit}>
          <label>
            {t('letterRecipient')}
            <select
              name="recipient"
              value={recipient}
              onChange={(event) => setRecipient(event.target.value as LetterRecipient)}
            >
              {LETTER_RECIPIENTS.map((value) => (
                <option key={value} value={value}>
                  {t.word('letterRecipient', value)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('letterSifat')}
            <select
              name="sifat"
              value={sifat}
              onChange={(event) => setSifat(event.target.value as typeof sifat)}
            >
              {LETTER_URGENCIES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('letterLampiran')}
            <input
              name="lampiran"
              maxLength={100}
              value={lampiran}
              onChange={(event) => setLampiran(event.target.value)}
            />
          </label>
          <label>
            {t('letterPerihal')}
            <input
              name="perihal"
              maxLength={200}
              value={perihal}
              onChange={(event) => setPerihal(event.target.value)}
            />
          </label>
          <label>
            {t('letterNote')}
            <textarea
              name="note"
              maxLength={2000}
              rows={3}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            {t('letterMake')}
          </button>
          {failure !== null ? (
            <p className="error" role="alert">
              {failure}
            </p>
          ) : null}
          {written !== null ? (
            <p className="notice letter-written">
              {t('letterWritten', { number: written.number })}{' '}
              <a href={written.pdfUrl} target="_blank" rel="noopener">
                {t('letterOpen')}
              </a>
            </p>
          ) : null}
        </form>
      ) : null}
      {letters.length > 0 ? (
        <>
          <h4>{t('letterIssued')}</h4>
          <ul className="letters">
            {letters.map((letter) => (
              <li key={letter.id} data-number={letter.number}>
                <strong>{letter.number}</strong> — {t.word('letterRecipient', letter.recipient)},{' '}
                {time(letter.createdAt)} ({letter.createdBy}){' '}
                <a href={letter.pdfUrl} target="_blank" rel="noopener">
                  {t('letterOpen')}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

// The board: every station by kecamatan; for each one that cannot record, which device, since
// when, and what the district is doing about it.
import type { Board, StationProblem, StationStatus } from '../../dash-api';
import { DataTable, Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';
import { deviceName, faultLink } from './fault-format';
import type { Answer } from '../../../protocol/rules';
import { answerTone } from '../../../protocol/rules';

/** The station's own printing answer; a station without a card printer says "not checked", not "cannot". */
const PRINTING_WORD = {
  yes: 'canPrint',
  no: 'cannotPrint',
  'not-checked': 'printNotChecked',
} as const satisfies Record<Answer, string>;

function Problem({ problem }: { problem: StationProblem }) {
  const { t, time, age, language } = useTranslator();
  const fault = problem.fault;
  return (
    <li className={problem.blocks === 'recording' ? 'bad' : problem.blocks === 'printing' ? 'warn' : ''}>
      <strong>{t.word('role', problem.role)}</strong>
      {fault === null ? (
        <span> — {t.word('status', problem.status)}</span>
      ) : (
        <>
          {' '}
          — <a href={faultLink(fault)}>{fault.message[language]}</a>
          <span className="muted">
            {' '}
            · {deviceName(fault, t)} · {t('since')} {time(fault.firstSeen)} ({age(fault.ageHours)}) ·{' '}
          </span>
          <span className={`state state-${fault.state}`}>{t(`state.${fault.state}`)}</span>
          {fault.assignee !== null ? (
            <span>
              {' '}
              · {t('assignee')}: {fault.assignee}
              {fault.repairNote ? ` (${fault.repairNote})` : ''}
            </span>
          ) : fault.acknowledgedBy !== null ? (
            <span>
              {' '}
              · {t('acknowledgedBy')} {fault.acknowledgedBy}
            </span>
          ) : (
            <span className="bad-text"> · {t('nothingYet')}</span>
          )}
          {fault.flapping ? <span className="tag">{t('flapping')}</span> : null}
          {fault.recurring ? <span className="tag">{t('recurring')}</span> : null}
        </>
      )}
    </li>
  );
}

function StationRow({ station }: { station: StationStatus }) {
  const { t, time } = useTranslator();
  return (
    <tr data-station={station.stationId}>
      <td>
        <strong>{station.name}</strong>
        {!station.enrolled ? <div className="muted">{t('notEnrolled')}</div> : null}
      </td>
      <td>
        <span className={`badge ${station.canRecord ? 'ok' : 'bad'}`}>
          {t(station.canRecord ? 'canRecord' : 'cannotRecord')}
        </span>
      </td>
      <td>
        <span className={`badge ${answerTone(station.printing)}`} data-printing={station.printing}>
          {t(PRINTING_WORD[station.printing])}
        </span>
      </td>
      <td className={station.silent ? 'bad-text' : ''}>
        {station.lastHeardAt === null ? t('never') : time(station.lastHeardAt)}
      </td>
      <td>
        <ul className="problems">
          {station.silent ? (
            <li className="bad">
              <strong>
                {station.lastHeardAt === null
                  ? t('silentNever')
                  : `${t('silentSince')} ${time(station.lastHeardAt)}`}
              </strong>
            </li>
          ) : null}
          {station.problems.map((problem) => (
            <Problem key={`${problem.role}-${problem.fault?.faultId ?? ''}`} problem={problem} />
          ))}
          {!station.silent && station.problems.length === 0 ? (
            <li className="muted">{t('noProblems')}</li>
          ) : null}
        </ul>
      </td>
    </tr>
  );
}

/** Kecamatan that cannot record come first: they are what the registry head must explain today. */
export function BoardPage() {
  const { t, time } = useTranslator();
  const board = useApi<Board>('/api/dash/board', 30_000);
  if (board.data === null) {
    return <Pending resource={board} />;
  }
  return (
    <section>
      <p className="muted">{time(board.data.generatedAt)}</p>
      {[
        ...board.data.kecamatan.filter((kecamatan) => !kecamatan.canRecord),
        ...board.data.kecamatan.filter((kecamatan) => kecamatan.canRecord),
      ].map((kecamatan) => (
        <article key={kecamatan.name} className="kecamatan" data-kecamatan={kecamatan.name}>
          <h2>
            <span className={`dot ${kecamatan.canRecord ? 'ok' : 'bad'}`} aria-hidden="true" />
            {t('kecamatan')} {kecamatan.name}
            <span className={`badge ${kecamatan.canRecord ? 'ok' : 'bad'}`}>
              {t(kecamatan.canRecord ? 'canRecord' : 'cannotRecord')}
            </span>
            <span className="muted small">
              {kecamatan.stationsAbleToRecord}/{kecamatan.stations.length} {t('stations')} {t('ableToRecord')}
            </span>
          </h2>
          <DataTable headings={['station', 'canRecord', 'canPrint', 'lastHeard', 'openFaults']}>
            {kecamatan.stations.map((station) => (
              <StationRow key={station.stationId} station={station} />
            ))}
          </DataTable>
        </article>
      ))}
    </section>
  );
}

// The board: a summary line (how many kecamatan can record, which cannot, the time of the data),
// then every station by kecamatan, those that cannot record first; for each problem, which device,
// since when, and what the district is doing about it. Stations not active yet are listed apart.
import type { Board, StationProblem, StationStatus } from '../../dash-api';
import { boardSummary, kecamatanInOrder, kecamatanState, stateTone, stationState } from '../board-view';
import { DataTable, Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';
import { deviceName, faultLink, problemTone } from './fault-format';
import { ForecastItems } from './forecast-items';
import type { Answer } from '../../../protocol/rules';
import { answerTone } from '../../../protocol/rules';

/** The station's own printing answer; a station without a card printer says "not checked", not "cannot". */
const PRINTING_WORD = {
  yes: 'canPrint',
  no: 'cannotPrint',
  'not-checked': 'printNotChecked',
} as const satisfies Record<Answer, string>;

/**
 * The board answers "can it record?" first: a station that cannot print still records, so its
 * printing answer is amber (a warning to act on), never the red of "cannot record".
 */
function printingTone(answer: Answer): string {
  return answer === 'no' ? 'warn' : answerTone(answer);
}

function Problem({ problem }: { problem: StationProblem }) {
  const { t, time, age, language } = useTranslator();
  const fault = problem.fault;
  const tone = problemTone(problem);
  return (
    <li className={tone}>
      <strong>{t.word('role', problem.role)}</strong>
      {tone === 'warn' ? <span className="tag warn">{t('needsAttention')}</span> : null}
      {fault === null ? (
        <span>{` — ${t.word('status', problem.status)}`}</span>
      ) : (
        <>
          {' — '}
          <a href={faultLink(fault)}>{fault.message[language]}</a>
          <span className="muted">
            {` · ${deviceName(fault, t)} · ${t('since')} ${time(fault.firstSeen)} (${age(fault.ageHours)}) · `}
          </span>
          <span className={`state state-${fault.state} ${tone}`}>{t(`state.${fault.state}`)}</span>
          {fault.assignee !== null ? (
            <span>{` · ${t('assignee')}: ${fault.assignee}${fault.repairNote ? ` (${fault.repairNote})` : ''}`}</span>
          ) : fault.acknowledgedBy !== null ? (
            <span>{` · ${t('acknowledgedBy')} ${fault.acknowledgedBy}`}</span>
          ) : (
            <span className={tone === 'bad' ? 'bad-text' : 'warn-text'}>{` · ${t('nothingYet')}`}</span>
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
  const state = stationState(station);
  const offsetMinutes =
    station.clockOffsetMs === undefined || station.clockOffsetMs === null
      ? 0
      : Math.round(station.clockOffsetMs / 60_000);
  return (
    <tr data-station={station.stationId} data-state={state}>
      <td className="station-name">
        <strong>{station.name}</strong>
      </td>
      <td>
        <span className={`badge ${stateTone(state)}`}>{t(`stationState.${state}`)}</span>
      </td>
      <td>
        {state === 'closed' || state === 'no-news' ? null : (
          <span className={`badge ${printingTone(station.printing)}`} data-printing={station.printing}>
            {t(PRINTING_WORD[station.printing])}
          </span>
        )}
      </td>
      <td className={state === 'no-news' ? 'news-text' : ''}>
        <span className="cell-label">{`${t('lastHeard')}: `}</span>
        {station.lastHeardAt === null ? t('never') : time(station.lastHeardAt)}
        {offsetMinutes !== 0 ? (
          <div className="muted small" data-clock-offset>
            {t('clockOffset', { minutes: offsetMinutes > 0 ? `+${offsetMinutes}` : offsetMinutes })}
          </div>
        ) : null}
      </td>
      <td>
        <ul className="problems">
          {state === 'no-news' ? (
            <li className="news">
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
          {station.hiddenFaults > 0 ? (
            <li className="muted">{`${t('andMore')} ${station.hiddenFaults} ${t('moreFaults')}`}</li>
          ) : null}
          {state !== 'no-news' && station.problems.length === 0 ? (
            <li className="muted">{t('noProblems')}</li>
          ) : null}
          <ForecastItems
            forecasts={station.forecasts}
            hidden={station.hiddenForecasts}
            stationId={station.stationId}
          />
        </ul>
      </td>
    </tr>
  );
}

/** "3 dari 4 kecamatan bisa merekam sekarang; tidak bisa: Tangen" and the time of the data. */
function SummaryLine({ board }: { board: Board }) {
  const { t, clock } = useTranslator();
  const summary = boardSummary(board);
  return (
    <div
      className={`summary ${summary.cannot.length + summary.noNews.length > 0 ? 'bad' : 'ok'}`}
      data-summary
    >
      <strong>
        {summary.total === 0
          ? t('summaryNone')
          : t('summaryLine', { able: summary.canRecord, total: summary.total })}
        {summary.cannot.length > 0 ? `; ${t('summaryCannot', { names: summary.cannot.join(', ') })}` : ''}
        {summary.noNews.length > 0 ? `; ${t('summaryNoNews', { names: summary.noNews.join(', ') })}` : ''}
      </strong>
      <span className="muted small" data-data-at>
        {t('dataAt', { time: clock(summary.dataAt) })}
      </span>
    </div>
  );
}

export function BoardPage() {
  const { t, time } = useTranslator();
  const board = useApi<Board>('/api/dash/board', 30_000);
  if (board.data === null) {
    return <Pending resource={board} />;
  }
  const notActive = board.data.notActive;
  return (
    <section className="board">
      <SummaryLine board={board.data} />
      {board.data.districtForecasts.length > 0 ? (
        <ul className="problems district-forecasts" data-district-forecasts>
          <ForecastItems
            forecasts={board.data.districtForecasts}
            hidden={board.data.hiddenDistrictForecasts}
            where
          />
        </ul>
      ) : null}
      {kecamatanInOrder(board.data).map((kecamatan) => {
        const state = kecamatanState(kecamatan);
        const stations = kecamatan.stations;
        return (
          <article
            key={kecamatan.name}
            className="kecamatan"
            data-kecamatan={kecamatan.name}
            data-state={state}
          >
            <h2>
              <span className={`dot ${stateTone(state)}`} aria-hidden="true" />
              {`${t('kecamatan')} ${kecamatan.name}`}
              <span className={`badge ${stateTone(state)}`}>{t(`stationState.${state}`)}</span>
              {state === 'closed' && kecamatan.nextOpening !== null ? (
                <span className="muted small">{t('opensAt', { time: time(kecamatan.nextOpening) })}</span>
              ) : null}
              <span className="muted small">
                {`${kecamatan.stationsAbleToRecord}/${stations.length} ${t('stations')} ${t('ableToRecord')}`}
              </span>
            </h2>
            <DataTable
              labels={false}
              headings={['station', 'canRecord', 'canPrint', 'lastHeard', 'openFaults']}
            >
              {stations.map((station) => (
                <StationRow key={station.stationId} station={station} />
              ))}
            </DataTable>
          </article>
        );
      })}
      {notActive.length > 0 ? (
        <article className="kecamatan not-active" data-not-active>
          <h2 className="small">{t('notActiveTitle')}</h2>
          <ul>
            {notActive.map((station) => (
              <li key={station.stationId} data-station={station.stationId}>
                {t('kecamatan')} {station.kecamatan} / {station.name}{' '}
                <span className="badge closed">{t('stationState.not-active')}</span>
              </li>
            ))}
          </ul>
        </article>
      ) : null}
    </section>
  );
}

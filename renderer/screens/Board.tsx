// The status board: one tile per expected device, green / yellow / red, one sentence, the next step,
// and what the district knows.
import { useEffect, useState } from 'react';
import type { Consumables, RoleTile, StationStatus } from '../../electron/station-api';
import { statusRank, statusTone } from '../../protocol/rules';
import type { Tone } from '../../protocol/rules';
import type { ScreenProps } from '../App';
import { DistrictLine } from './District';

const ICON: Record<Tone, string> = { ok: '✔', warning: '!', fault: '✖', neutral: '?' };

/** Red tiles first, then yellow, then the rest, each group in the profile's order: on a small
 *  screen at 7:30 the operator sees what needs doing without scrolling. */
function byUrgency(tiles: RoleTile[]): RoleTile[] {
  return tiles
    .map((tile, index) => ({ tile, index }))
    .sort((a, b) => statusRank(b.tile.status) - statusRank(a.tile.status) || a.index - b.index)
    .map(({ tile }) => tile);
}

export function formatTime(iso: string | null, language: string): string {
  if (!iso) {
    return '';
  }
  return new Date(iso).toLocaleTimeString(language === 'id' ? 'id-ID' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  });
}

function Tile({
  tile,
  t,
  text,
  language,
}: { tile: RoleTile } & Pick<ScreenProps, 't' | 'text' | 'language'>) {
  const tone = statusTone(tile.status);
  return (
    <section
      className={`tile tile-${tone}`}
      data-testid={`tile-${tile.role}`}
      data-status={tile.status}
      data-code={tile.code}
    >
      <div className="tile-head">
        <span className="tile-icon" aria-hidden="true">
          {ICON[tone]}
        </span>
        <h2>{text(tile.name)}</h2>
      </div>
      <div className="tile-status">{t(`status.${tile.status}`)}</div>
      <p className="tile-message">{text(tile.message)}</p>
      {tile.status !== 'ok' && (
        <p className="tile-next">
          <strong>{t('nextStep')}:</strong> {text(tile.nextStep)}
        </p>
      )}
      {tile.fault && (
        <DistrictLine
          className="tile-district"
          testId={`district-${tile.role}`}
          district={tile.fault.district}
          t={t}
          language={language}
        />
      )}
    </section>
  );
}

export function Board({
  api,
  t,
  text,
  language,
  status,
  onStartDaily,
}: ScreenProps & { status: StationStatus | null; onStartDaily: () => void }) {
  const [consumables, setConsumables] = useState<Consumables | null>(null);
  const [running, setRunning] = useState(false);
  const lastCheckAt = status?.lastCheckAt ?? null;

  useEffect(() => {
    let alive = true;
    api
      .getConsumables()
      .then((value) => alive && setConsumables(value))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api, lastCheckAt]);

  if (!status) {
    return <div className="loading">{t('checking')}</div>;
  }
  const checkNow = () => {
    setRunning(true);
    api
      .runCheck({ mode: 'active' })
      .catch(() => undefined)
      .finally(() => setRunning(false));
  };
  const low =
    consumables &&
    ((consumables.blankCards !== null && consumables.blankCards < consumables.lowBlankCards) ||
      (consumables.ribbonPrints !== null && consumables.ribbonPrints < consumables.lowRibbonPrints));

  return (
    <div className="board" data-testid="board">
      <div className="board-bar">
        <div
          className={`daily ${status.dailyCheck.doneToday ? 'daily-done' : 'daily-todo'}`}
          data-testid="daily-state"
        >
          {status.dailyCheck.doneToday ? `✔ ${t('dailyDone')}` : t('dailyNotDone')}
          {!status.dailyCheck.doneToday && (
            <button type="button" className="button-primary" data-testid="start-daily" onClick={onStartDaily}>
              {t('dailyStart')}
            </button>
          )}
        </div>
        <div className="board-check">
          <span className="muted">
            {status.checking || running
              ? t('checking')
              : lastCheckAt
                ? `${t('lastChecked')} ${formatTime(lastCheckAt, language)}`
                : t('neverChecked')}
          </span>
          <button
            type="button"
            className="button"
            data-testid="check-now"
            disabled={status.checking || running}
            onClick={checkNow}
          >
            {t('checkNow')}
          </button>
        </div>
      </div>
      <div className="tiles">
        {byUrgency(status.tiles).map((tile) => (
          <Tile key={tile.role} tile={tile} t={t} text={text} language={language} />
        ))}
      </div>
      <div className="board-foot">
        {consumables && (consumables.blankCards !== null || consumables.ribbonPrints !== null) && (
          <div className={`supplies ${low ? 'supplies-low' : ''}`} data-testid="supplies">
            <strong>{t('consumables')}:</strong> {t('blankCards')} {consumables.blankCards ?? '–'} ·{' '}
            {t('ribbonPrints')} {consumables.ribbonPrints ?? '–'}
            {low && <span className="supplies-warning"> — {t('consumablesLow')}</span>}
          </div>
        )}
        {status.outboxPending > 0 && (
          <div className="muted" data-testid="outbox">
            {status.outboxPending} {t('pending')}
          </div>
        )}
        {status.others.length > 0 && (
          <details className="others">
            <summary>
              {t('otherDevices')} ({status.others.length})
            </summary>
            <ul>
              {status.others.map((other, index) => (
                <li key={`${other.deviceKey ?? other.code}-${index}`}>{text(other.message)}</li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </div>
  );
}

// The residents' page (/publik): which kecamatan can record today, nothing more.
import type { PublicBoard } from '../../dash-api';
import { Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

export function PublicPage() {
  const { t, time } = useTranslator();
  const board = useApi<PublicBoard>('/api/public/board', 60_000);
  if (board.data === null) {
    return <Pending resource={board} />;
  }
  const able = board.data.kecamatan.filter((kecamatan) => kecamatan.canRecord);
  const unable = board.data.kecamatan.filter((kecamatan) => !kecamatan.canRecord);
  return (
    <main className="public">
      <h1>{t('publicTitle')}</h1>
      <p>{t('publicIntro')}</p>
      <p className="muted">
        {t('publicUpdated')} {time(board.data.generatedAt)}
      </p>
      <ul className="public-list">
        {[...unable, ...able].map((kecamatan) => (
          <li
            key={kecamatan.name}
            className={kecamatan.canRecord ? 'ok' : 'bad'}
            data-kecamatan={kecamatan.name}
          >
            <strong>{kecamatan.name}</strong>
            <span>{kecamatan.canRecord ? `✔ ${t('publicCan')}` : `✖ ${t('publicCannot')}`}</span>
          </li>
        ))}
      </ul>
      {unable.length > 0 ? <p className="advice">{t('publicAdvice')}</p> : null}
    </main>
  );
}

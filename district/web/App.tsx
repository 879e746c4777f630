// The dashboard shell: the public page at /publik; otherwise login, navigation and the page named
// by the URL's hash (#/, #/gangguan, #/gangguan/STATION/FAULT, #/inventaris, #/habis-pakai, #/perkiraan[/STATION],
// #/angka, #/kantor, #/eskalasi, #/audit, #/surat; for province and national accounts #/nasional, #/provinsi/CODE and
// #/kabupaten/CODE, a district's board).
import { useEffect, useState } from 'react';
import type { SessionInfo, User } from '../dash-api';
import {
  api,
  chooseDistrict,
  chosenDistrict,
  getOnce,
  isSignedOut,
  onSignedOut,
  setCsrfToken,
  takeArrived,
} from './api';
import type { Language } from '../../protocol/i18n';
import { LanguageContext, storedLanguage, storeLanguage, useTranslator } from './language';
import {
  AuditPage,
  ConsumablesPage,
  EscalationSettingsPage,
  FaultDetailPage,
  FaultsPage,
  FiguresPage,
  ForecastsPage,
  InventoryPage,
  LetterSettingsPage,
  OfficesPage,
  PageLoader,
  PublicPage,
  RollupPage,
} from './lazy-pages';
import { BoardPage } from './pages/Board';
import { Login } from './pages/Login';

function useHash(): string {
  // The server renders the first view of `#/` (first-view.tsx), with no window.
  const [hash, setHash] = useState(() => (typeof window === 'undefined' ? '' : window.location.hash));
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

/** The hash's path segments, decoded; null when one is not valid percent-encoding (a damaged link). */
export function hashParts(hash: string): string[] | null {
  try {
    return hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
}

function InvalidLink() {
  const { t } = useTranslator();
  return (
    <section className="invalid-link">
      <h2 className="error">{t('invalidLink')}</h2>
      <p>{t('invalidLinkHint')}</p>
      <a href="#/">{t('backToBoard')}</a>
    </section>
  );
}

function Page({ hash, user }: { hash: string; user: User }) {
  const parts = hashParts(hash);
  if (parts === null) {
    return <InvalidLink />;
  }
  switch (parts[0]) {
    case 'gangguan':
      return parts.length >= 3 ? (
        <FaultDetailPage stationId={parts[1]} faultId={parts.slice(2).join('/')} user={user} />
      ) : (
        <FaultsPage />
      );
    case 'inventaris':
      return <InventoryPage user={user} />;
    case 'habis-pakai':
      return <ConsumablesPage />;
    case 'perkiraan':
      return <ForecastsPage key={parts[1] ?? ''} stationId={parts[1] || undefined} />;
    case 'angka':
      return <FiguresPage />;
    case 'audit':
      return <AuditPage />;
    case 'surat':
      return <LetterSettingsPage />;
    case 'kantor':
      return <OfficesPage user={user} />;
    case 'eskalasi':
      return <EscalationSettingsPage user={user} />;
    case 'nasional':
      return <RollupPage key="" province={null} />;
    case 'provinsi':
      return <RollupPage key={parts[1] ?? ''} province={parts[1] ?? null} />;
    case 'kabupaten':
      // The Shell has chosen this district (api.ts): the board, then every district page, show it.
      return <BoardPage key={parts[1]} />;
    case '':
      return user.scope.level !== 'district' && chosenDistrict() === null ? (
        <RollupPage province={null} />
      ) : (
        <BoardPage key={chosenDistrict() ?? ''} />
      );
    default:
      return <InvalidLink />;
  }
}

/** Navigation and the page of the hash; also what the server renders as the first view (first-view.tsx). */
export function Shell({
  session,
  onLogout,
  onLanguage,
}: {
  session: SessionInfo;
  onLogout: () => void;
  onLanguage: () => void;
}) {
  const { t } = useTranslator();
  const hash = useHash();
  const section = hash.replace(/^#\/?/, '').split('/')[0];
  const wide = session.user.scope.level !== 'district';
  // Drilling down (#/kabupaten/CODE): every district page from now on shows this district (api.ts),
  // chosen before the page below asks for anything.
  const drilled = hashParts(hash);
  if (wide && drilled !== null && drilled[0] === 'kabupaten' && (drilled[1] ?? '') !== '') {
    chooseDistrict(drilled[1]);
  }
  const links: [string, string][] = [
    ...(wide ? ([['nasional', t('navRollup')]] as [string, string][]) : []),
    ['', t('navBoard')],
    ['gangguan', t('navFaults')],
    ['inventaris', t('navInventory')],
    ['habis-pakai', t('navConsumables')],
    ['perkiraan', t('navForecasts')],
    ['angka', t('navFigures')],
    ['kantor', t('navOffices')],
    ['eskalasi', t('navEscalation')],
    ...(session.user.role === 'admin'
      ? ([
          ['audit', t('navAudit')],
          ['surat', t('navLetters')],
        ] as [string, string][])
      : []),
  ];
  return (
    <>
      <header>
        <strong className="brand">{t('appName')}</strong>
        <nav>
          {links.map(([target, label]) => (
            <a key={target} href={`#/${target}`} className={section === target ? 'current' : ''}>
              {label}
            </a>
          ))}
          <a href="/publik">{t('navPublic')}</a>
        </nav>
        <span className="user">
          {session.user.name} ({t.word('staffRole', session.user.role)})
        </span>
        <button onClick={onLanguage}>{t('language')}</button>
        <button onClick={onLogout}>{t('logout')}</button>
      </header>
      <main>
        {wide && chosenDistrict() !== null && section !== 'nasional' && section !== 'provinsi' ? (
          <p className="drill">
            {t('rollupDistrictShown', { name: chosenDistrict() ?? '' })} ·{' '}
            <a href="#/nasional">{t('rollupBack')}</a>
          </p>
        ) : null}
        <PageLoader route={hash}>
          <Page hash={hash} user={session.user} />
        </PageLoader>
      </main>
    </>
  );
}

/** The session check failed without an answer (link down, server stopped, a proxy's 502/503). */
function ServerUnreachable({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslator();
  return (
    <section className="login" data-server-unreachable>
      <h1>{t('appName')}</h1>
      <p className="error">{t('serverUnreachable')}</p>
      <p>{t('serverUnreachableHint')}</p>
      <button onClick={onRetry}>{t('tryAgain')}</button>
    </section>
  );
}

export function App() {
  const [language, setLanguage] = useState<Language>(storedLanguage);
  // The session prefetched at load (prefetch-board.ts) is usually here before the first render.
  // undefined: being checked; null: signed out; 'unreachable': the check got no answer.
  const [session, setSession] = useState<SessionInfo | null | 'unreachable' | undefined>(() => {
    const arrived = takeArrived<SessionInfo>('/api/dash/session');
    if (arrived !== undefined) {
      setCsrfToken(arrived.csrfToken);
    }
    return arrived;
  });
  const isPublic = window.location.pathname.startsWith('/publik');
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  useEffect(() => {
    if (isPublic || session !== undefined) {
      return;
    }
    getOnce<SessionInfo>('/api/dash/session').then(
      (current) => {
        setCsrfToken(current.csrfToken);
        setSession(current);
      },
      (failure: unknown) => setSession(isSignedOut(failure) ? null : 'unreachable'),
    );
  }, [isPublic, session]);
  // A 401 mid-use (the session expired): the login form, then the page the user was on (the hash stays).
  useEffect(() => {
    onSignedOut(() => setSession(null));
    return () => onSignedOut(null);
  }, []);
  const toggleLanguage = () => {
    const next = language === 'id' ? 'en' : 'id';
    storeLanguage(next);
    setLanguage(next);
  };
  const logout = () => {
    // An expired session's logout answers 401: signed out all the same.
    api.post('/api/dash/logout').then(
      () => setSession(null),
      () => setSession(null),
    );
  };
  return (
    <LanguageContext.Provider value={language}>
      {isPublic ? (
        <>
          <button className="language-corner" onClick={toggleLanguage}>
            {language === 'id' ? 'English' : 'Bahasa Indonesia'}
          </button>
          <PageLoader route="publik">
            <PublicPage />
          </PageLoader>
        </>
      ) : session === undefined ? null : session === 'unreachable' ? (
        <ServerUnreachable onRetry={() => setSession(undefined)} />
      ) : session === null ? (
        <Login onLogin={setSession} />
      ) : (
        <Shell session={session} onLogout={logout} onLanguage={toggleLanguage} />
      )}
    </LanguageContext.Provider>
  );
}

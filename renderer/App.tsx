// The kiosk shell: the "can record today" banner, the navigation, and one screen at a time.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Language, StationApi, StationEvent, StationStatus } from '../electron/station-api';
import type { Text } from '../protocol/verdict';
import { translator } from '../protocol/i18n';
import { answerTone } from '../protocol/rules';
import type { Translator } from '../protocol/i18n';
import { Board } from './screens/Board';
import { DailyCheck } from './screens/DailyCheck';
import { Faults } from './screens/Faults';
import { Technician } from './screens/Technician';

export type Screen = 'board' | 'daily' | 'faults' | 'technician';

export interface ScreenProps {
  api: StationApi;
  t: Translator<'kiosk'>;
  language: Language;
  /** Picks the operator's language from a { id, en } text. */
  text: (value: Text) => string;
}

export function App({ api }: { api: StationApi }) {
  const [status, setStatus] = useState<StationStatus | null>(null);
  const [language, setLanguage] = useState<Language>('id');
  // A deep link (#daily, #faults) opens that screen: the shortcut for a start-of-day launcher.
  const [screen, setScreen] = useState<Screen>(() => {
    const wanted = window.location.hash.slice(1);
    return wanted === 'daily' || wanted === 'faults' || wanted === 'technician' ? wanted : 'board';
  });
  const [error, setError] = useState<string | null>(null);
  const t = useMemo(() => translator('kiosk', language), [language]);
  const text = useCallback((value: Text) => value[language], [language]);

  useEffect(() => {
    let alive = true;
    const unsubscribe = api.subscribe((event: StationEvent) => {
      if (event.type === 'status') {
        setStatus(event.status);
      }
    });
    api
      .getStatus()
      .then((initial) => {
        if (alive) {
          setStatus(initial);
          setLanguage(initial.language);
        }
      })
      .catch((reason: unknown) => setError(String(reason)));
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [api]);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const switchLanguage = (next: Language) => {
    setLanguage(next);
    api.updateSettings({ language: next }).catch((reason: unknown) => setError(String(reason)));
  };

  const props: ScreenProps = { api, t, language, text };
  const canRecord = status?.canRecord ?? false;
  const recording = status?.recording ?? 'not-checked';

  return (
    <div className="app">
      <header
        className={`banner banner-${status ? answerTone(recording) : 'neutral'}`}
        data-testid="banner"
      >
        <div className="banner-main">
          <div
            className="banner-title"
            data-testid="can-record"
            data-can-record={status ? String(canRecord) : 'unknown'}
            data-recording={status ? recording : 'unknown'}
          >
            {!status
              ? t('checking')
              : recording === 'yes'
                ? t('canRecordYes')
                : recording === 'no'
                  ? t('canRecordNo')
                  : t('canRecordNotChecked')}
          </div>
          {status && (
            <div className="banner-detail" data-testid="can-print" data-printing={status.printing}>
              {recording === 'yes' ? t('canRecordYesDetail') : recording === 'no' ? t('canRecordNoDetail') : ''}
              {status.printing !== 'yes' && (
                <span className="banner-print">
                  {' '}
                  {status.printing === 'no' ? t('canPrintNo') : t('canPrintNotChecked')}
                </span>
              )}
            </div>
          )}
        </div>
        <div className="banner-side">
          <div className="station-name">
            {status?.station.name}
            {status?.station.kecamatan ? ` · ${status.station.kecamatan}` : ''}
          </div>
          <div className="language" role="group" aria-label={t('language')}>
            {(['id', 'en'] as const).map((code) => (
              <button
                key={code}
                type="button"
                className={code === language ? 'language-on' : ''}
                aria-pressed={code === language}
                data-testid={`language-${code}`}
                onClick={() => switchLanguage(code)}
              >
                {code === 'id' ? 'Indonesia' : 'English'}
              </button>
            ))}
          </div>
        </div>
      </header>
      {status?.storageProblem && (
        <div className="banner banner-fault storage-problem" role="alert" data-testid="storage-problem">
          <div className="banner-title">{text(status.storageProblem.message)}</div>
          <div className="banner-detail">{text(status.storageProblem.nextStep)}</div>
        </div>
      )}
      <nav className="nav">
        {(['board', 'daily', 'faults', 'technician'] as const).map((name) => (
          <button
            key={name}
            type="button"
            className={name === screen ? 'nav-on' : ''}
            data-testid={`nav-${name}`}
            onClick={() => setScreen(name)}
          >
            {t(
              name === 'board'
                ? 'navBoard'
                : name === 'daily'
                  ? 'navDaily'
                  : name === 'faults'
                    ? 'navFaults'
                    : 'navTechnician',
            )}
          </button>
        ))}
      </nav>
      {error && (
        <div className="error" role="alert">
          {t('errorGeneric')}
        </div>
      )}
      <main className="content">
        {screen === 'board' && <Board {...props} status={status} onStartDaily={() => setScreen('daily')} />}
        {screen === 'daily' && <DailyCheck {...props} onClose={() => setScreen('board')} />}
        {screen === 'faults' && <Faults {...props} />}
        {screen === 'technician' && <Technician {...props} />}
      </main>
    </div>
  );
}

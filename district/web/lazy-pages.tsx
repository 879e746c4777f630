// Every page but the board and the login is its own chunk (scripts/dashboard-web-build.mjs), loaded
// when first opened: the board, opened most often, carries no code of the others (uPlot, the forms,
// zod). `PageLoader` shows "loading" while a chunk arrives and a clear line, with a reload button,
// when it cannot (link dropped, or the district's software updated since the tab was opened so the
// old chunk is gone); navigating elsewhere tries again.
import { Component, lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { useTranslator } from './language';
import { loadRollup } from './rollup-chunk';

export const AuditPage = lazy(() =>
  import('./pages/Audit').then((module) => ({ default: module.AuditPage })),
);
export const ConsumablesPage = lazy(() =>
  import('./pages/Consumables').then((module) => ({ default: module.ConsumablesPage })),
);
export const EscalationSettingsPage = lazy(() =>
  import('./pages/EscalationSettings').then((module) => ({ default: module.EscalationSettingsPage })),
);
export const FaultDetailPage = lazy(() =>
  import('./pages/FaultDetail').then((module) => ({ default: module.FaultDetailPage })),
);
export const FaultsPage = lazy(() =>
  import('./pages/Faults').then((module) => ({ default: module.FaultsPage })),
);
export const FiguresPage = lazy(() =>
  import('./pages/Figures').then((module) => ({ default: module.FiguresPage })),
);
export const ForecastsPage = lazy(() =>
  import('./pages/Forecasts').then((module) => ({ default: module.ForecastsPage })),
);
export const InventoryPage = lazy(() =>
  import('./pages/Inventory').then((module) => ({ default: module.InventoryPage })),
);
export const LetterSettingsPage = lazy(() =>
  import('./pages/LetterSettings').then((module) => ({ default: module.LetterSettingsPage })),
);
export const OfficesPage = lazy(() =>
  import('./pages/Offices').then((module) => ({ default: module.OfficesPage })),
);
export const PublicPage = lazy(() =>
  import('./pages/Public').then((module) => ({ default: module.PublicPage })),
);
export const RollupPage = lazy(() => loadRollup().then((module) => ({ default: module.RollupPage })));

function Loading() {
  const { t } = useTranslator();
  return <p>{t('loading')}</p>;
}

function ChunkFailed() {
  const { t } = useTranslator();
  return (
    <section className="chunk-failed" data-chunk-failed>
      <h2 className="error">{t('pageNotLoaded')}</h2>
      <p>{t('pageNotLoadedHint')}</p>
      <button onClick={() => window.location.reload()}>{t('reloadPage')}</button>
    </section>
  );
}

/** Catches a chunk that failed to load; the caller keys it by the route, so another route tries afresh. */
class ChunkBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? <ChunkFailed /> : this.props.children;
  }
}

export function PageLoader({ route, children }: { route: string; children: ReactNode }) {
  return (
    <ChunkBoundary key={route}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </ChunkBoundary>
  );
}

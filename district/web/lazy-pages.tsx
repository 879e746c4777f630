// Every page but the board and the login is its own chunk (scripts/dashboard-web-build.mjs), loaded
// when first opened: the board, opened most often, carries no code of the others (uPlot, the forms,
// zod). `PageLoader` shows "loading" while a chunk arrives and a clear line, with a reload button,
// when it cannot (link dropped, or the district's software updated since the tab was opened so the
// old chunk is gone); navigating elsewhere tries again.
import { Component, lazy, Suspense } from 'react';
import type { ComponentProps, ComponentType, ReactNode } from 'react';
import { useTranslator } from './language';
import { loadRollup } from './rollup-chunk';

/** Pages whose load failed, each with the way to start it afresh (`retryingLazy`). */
const failedPages = new Map<unknown, () => void>();

/**
 * React.lazy keeps a failed load for good: the page would stay "cannot be loaded" after the link
 * came back. This one starts afresh when the page is next opened (a new ChunkBoundary), not while
 * the failed attempt is still rendering (that would try again without end).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as React.lazy's own signature
function retryingLazy<Page extends ComponentType<any>>(
  load: () => Promise<{ default: Page }>,
): (props: ComponentProps<Page>) => ReactNode {
  const make = () =>
    lazy(() =>
      load().catch((error: unknown) => {
        failedPages.set(make, () => (current = make()));
        throw error;
      }),
    );
  let current = make();
  return function RetryingPage(props: ComponentProps<Page>) {
    const Current = current;
    return <Current {...props} />;
  };
}

export const AuditPage = retryingLazy(() =>
  import('./pages/Audit').then((module) => ({ default: module.AuditPage })),
);
export const ConsumablesPage = retryingLazy(() =>
  import('./pages/Consumables').then((module) => ({ default: module.ConsumablesPage })),
);
export const EscalationSettingsPage = retryingLazy(() =>
  import('./pages/EscalationSettings').then((module) => ({ default: module.EscalationSettingsPage })),
);
export const FaultDetailPage = retryingLazy(() =>
  import('./pages/FaultDetail').then((module) => ({ default: module.FaultDetailPage })),
);
export const FaultsPage = retryingLazy(() =>
  import('./pages/Faults').then((module) => ({ default: module.FaultsPage })),
);
export const FiguresPage = retryingLazy(() =>
  import('./pages/Figures').then((module) => ({ default: module.FiguresPage })),
);
export const ForecastsPage = retryingLazy(() =>
  import('./pages/Forecasts').then((module) => ({ default: module.ForecastsPage })),
);
export const InventoryPage = retryingLazy(() =>
  import('./pages/Inventory').then((module) => ({ default: module.InventoryPage })),
);
export const LetterSettingsPage = retryingLazy(() =>
  import('./pages/LetterSettings').then((module) => ({ default: module.LetterSettingsPage })),
);
export const OfficesPage = retryingLazy(() =>
  import('./pages/Offices').then((module) => ({ default: module.OfficesPage })),
);
export const PublicPage = retryingLazy(() =>
  import('./pages/Public').then((module) => ({ default: module.PublicPage })),
);
export const RollupPage = retryingLazy(() => loadRollup().then((module) => ({ default: module.RollupPage })));

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

  constructor(props: { children: ReactNode }) {
    super(props);
    // A page opened anew: those that failed before load again (the link may be back).
    for (const restart of failedPages.values()) {
      restart();
    }
    failedPages.clear();
  }

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

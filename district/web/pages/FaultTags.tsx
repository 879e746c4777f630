// The tags after a fault's text in the fault list and on the fault's own page.
import type { FaultView } from '../../dash-api';
import { useTranslator } from '../language';

export function FaultTags({ fault }: { fault: Pick<FaultView, 'flapping' | 'recurring' | 'reopenCount'> }) {
  const { t } = useTranslator();
  return (
    <>
      {fault.flapping ? <span className="tag">{t('flapping')}</span> : null}
      {fault.recurring ? <span className="tag">{t('recurring')}</span> : null}
      {fault.reopenCount > 0 ? (
        <span className="tag">
          {t('reopened')} ×{fault.reopenCount}
        </span>
      ) : null}
    </>
  );
}

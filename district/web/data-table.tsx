// What every dashboard page shows around its data: the loading or failure line until a resource
// has loaded, and tables with one row of translated headings.
import type { ReactNode } from 'react';
import type { TextKey } from '../../protocol/i18n';
import { useTranslator } from './language';
import type { Resource } from './use-api';

/** Until a resource has loaded: its last error, or "loading". */
export function Pending({ resource }: { resource: Resource<unknown> }) {
  const { t } = useTranslator();
  return <p>{resource.error ?? t('loading')}</p>;
}

/** The resource's data once loaded; `Pending` until then. */
export function Loaded<T>({
  resource,
  children,
}: {
  resource: Resource<T>;
  children: (data: T) => ReactNode;
}) {
  return resource.data === null ? <Pending resource={resource} /> : children(resource.data);
}

/**
 * A table whose `headings` are text keys ('' for an empty heading cell); `children` are its body rows.
 * It scrolls sideways inside its own box when wider than the screen, so the page never does.
 */
export function DataTable({
  className,
  headings,
  children,
}: {
  className?: string;
  headings: readonly (TextKey<'dashboard'> | '')[];
  children: ReactNode;
}) {
  const { t } = useTranslator();
  return (
    <div className="table-box">
      <table className={className}>
        <thead>
          <tr>
            {headings.map((heading, index) => (
              <th key={index}>{heading === '' ? null : t(heading)}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

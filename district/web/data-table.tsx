// What every dashboard page shows around its data: the loading or failure line until a resource
// has loaded, tables with one row of translated headings, and lists a page at a time.
import { useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { DEFAULT_PAGE_SIZE } from '../dash-paging';
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
 * On a phone its rows become stacked cards, each cell after its heading (`labels`: false when the
 * cells say what they are themselves); the page never scrolls sideways.
 */
export function DataTable({
  className,
  headings,
  labels = true,
  children,
}: {
  className?: string;
  headings: readonly (TextKey<'dashboard'> | '')[];
  labels?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslator();
  const table = useRef<HTMLTableElement>(null);
  const texts = headings.map((heading) => (heading === '' ? '' : t(heading)));
  // The stacked layout shows each cell's heading from its data-label (CSS attr()), set on every render.
  useLayoutEffect(() => {
    if (!labels || table.current === null) {
      return;
    }
    for (const row of Array.from(table.current.tBodies[0]?.rows ?? [])) {
      Array.from(row.cells).forEach((cell, index) => cell.setAttribute('data-label', texts[index] ?? ''));
    }
  });
  return (
    <div className="table-box">
      <table className={`stack ${className ?? ''}`} ref={table}>
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

export interface Paging {
  size: number;
  offset: number;
  /** `limit=&offset=` for the API: one row more than shown, to know whether a next page exists. */
  query: string;
  setOffset: (offset: number) => void;
}

/** A list shown `size` rows at a time (the server answers at most MAX_PAGE_SIZE). */
export function usePaging(size: number = DEFAULT_PAGE_SIZE): Paging {
  const [offset, setOffset] = useState(0);
  return { size, offset, query: `limit=${size + 1}&offset=${offset}`, setOffset };
}

/** The rows of this page (the extra row asked for only tells that a next page exists). */
export const pageRows = <T,>(paging: Paging, rows: T[]): T[] => rows.slice(0, paging.size);

/** Links to the previous and next page; nothing when everything fits on one. */
export function PageLinks({ paging, received }: { paging: Paging; received: number }) {
  const { t } = useTranslator();
  const hasNext = received > paging.size;
  if (paging.offset === 0 && !hasNext) {
    return null;
  }
  return (
    <nav className="pages">
      {paging.offset > 0 ? (
        <button onClick={() => paging.setOffset(Math.max(0, paging.offset - paging.size))}>
          {t('previousPage')}
        </button>
      ) : null}
      {hasNext ? (
        <button onClick={() => paging.setOffset(paging.offset + paging.size)}>{t('nextPage')}</button>
      ) : null}
    </nav>
  );
}

// Loads one API resource, with reload and an optional refresh period.
import { useCallback, useEffect, useState } from 'react';
import { getOnce, messageOf } from './api';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

export function useApi<T>(path: string, refreshMs?: number): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  useEffect(() => {
    let cancelled = false;
    getOnce<T>(path).then(
      (value) => {
        if (!cancelled) {
          setData(value);
          setError(null);
        }
      },
      (failure: unknown) => {
        if (!cancelled) {
          setError(messageOf(failure));
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [path, generation]);
  useEffect(() => {
    if (refreshMs === undefined) {
      return undefined;
    }
    const timer = window.setInterval(reload, refreshMs);
    return () => window.clearInterval(timer);
  }, [refreshMs, reload]);
  return { data, error, reload };
}

// Loads one API resource, with reload and an optional refresh period.
import { useCallback, useEffect, useRef, useState } from 'react';
import { getOnce, messageOf, takeArrived } from './api';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

export function useApi<T>(path: string, refreshMs?: number): Resource<T> {
  // Data prefetched at load and already here is shown in the first render, without asking again.
  const [data, setData] = useState<T | null>(() => takeArrived<T>(path) ?? null);
  const answered = useRef(data !== null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  useEffect(() => {
    if (answered.current) {
      answered.current = false;
      return undefined;
    }
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

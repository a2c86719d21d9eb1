// Small React hooks over the store: read the mutable trace model at a
// bounded rate (inspector tables and the graph need not redraw 60 times a
// second while the log grows).

import { useEffect, useRef, useState } from 'react';
import { usePlayground } from '../state/store.js';

/** The store's version, updated at most every `ms` milliseconds. */
export function useThrottledVersion(ms = 200): number {
  const [version, setVersion] = useState(() => usePlayground.getState().version);
  const shown = useRef(version);
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const publish = (): void => {
      timer = undefined;
      last = performance.now();
      const v = usePlayground.getState().version;
      if (v !== shown.current) {
        shown.current = v;
        setVersion(v);
      }
    };
    const unsub = usePlayground.subscribe((s) => {
      if (s.version === shown.current || timer !== undefined) return;
      const wait = Math.max(0, ms - (performance.now() - last));
      if (wait === 0) publish();
      else timer = setTimeout(publish, wait);
    });
    return () => {
      unsub();
      clearTimeout(timer);
    };
  }, [ms]);
  return version;
}

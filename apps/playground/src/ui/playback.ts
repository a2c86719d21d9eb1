// Slow-motion playback: while the view runs at a speed other than "live",
// move the selected event forward at that many events per second (the
// machine itself runs at full speed; its events wait in the log). Frames
// are asked for only while it plays.

import { useEffect } from 'react';
import { usePlayground } from '../state/store.js';

export function usePlayback(): void {
  useEffect(() => {
    let frame = 0;
    let last = 0;
    let carry = 0;
    const playing = (): boolean => {
      const s = usePlayground.getState();
      return s.running && s.speed > 0;
    };
    const loop = (now: number): void => {
      frame = 0;
      const s = usePlayground.getState();
      if (!playing()) {
        carry = 0;
        return; // frames are asked for again when playback starts (below)
      }
      carry += (Math.max(0, now - last) / 1000) * s.speed;
      last = now;
      const n = Math.floor(carry);
      if (n > 0) {
        carry -= n;
        s.advance(n);
      }
      frame = requestAnimationFrame(loop);
    };
    const start = (): void => {
      if (frame !== 0 || !playing()) return;
      last = performance.now();
      frame = requestAnimationFrame(loop);
    };
    const unsubscribe = usePlayground.subscribe(start);
    start();
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, []);
}

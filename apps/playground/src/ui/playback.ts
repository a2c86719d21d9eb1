// Slow-motion playback: while the view runs at a speed other than "live",
// move the selected event forward at that many events per second (the
// machine itself runs at full speed; its events wait in the log).

import { useEffect } from 'react';
import { usePlayground } from '../state/store.js';

export function usePlayback(): void {
  useEffect(() => {
    let frame = 0;
    let last = performance.now();
    let carry = 0;
    const loop = (now: number): void => {
      const s = usePlayground.getState();
      const dt = (now - last) / 1000;
      last = now;
      if (s.running && s.speed > 0) {
        carry += dt * s.speed;
        const n = Math.floor(carry);
        if (n > 0) {
          carry -= n;
          s.advance(n);
        }
      } else {
        carry = 0;
      }
      frame = requestAnimationFrame(loop);
    };
    frame = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(frame);
  }, []);
}

import { useEffect, useRef } from 'react';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
const CHECK_EVERY_MS = 1000;

/** Calls `onIdle` once after `minutes` without keyboard, pointer or wheel activity; 0 turns it off. */
export function useIdleLock(minutes: number, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!(minutes > 0)) return;
    const limit = minutes * 60_000;
    let last = Date.now();
    let fired = false;

    const fire = () => {
      if (fired) return;
      fired = true;
      onIdleRef.current();
    };
    // Background tabs throttle timers to once a minute; the first movement after a long absence
    // must lock, not quietly restart the countdown.
    const activity = () => {
      if (Date.now() - last >= limit) fire();
      else last = Date.now();
    };
    const check = () => {
      if (Date.now() - last >= limit) fire();
    };

    for (const name of ACTIVITY) window.addEventListener(name, activity, { capture: true, passive: true });
    document.addEventListener('visibilitychange', check);
    const timer = window.setInterval(check, CHECK_EVERY_MS);
    return () => {
      for (const name of ACTIVITY) window.removeEventListener(name, activity, { capture: true });
      document.removeEventListener('visibilitychange', check);
      window.clearInterval(timer);
    };
  }, [minutes]);
}

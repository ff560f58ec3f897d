import { startTransition, useEffect, useRef, useState } from 'react';
import { useStore, type AppState } from '../store/store.ts';

/**
 * Reads a value from the store like `useStore(selector)`, but renders it at most once per
 * animation frame, as a transition (time-sliced: React yields to the page while it renders), and
 * never starts the next render before the last one committed. A model streams a token per store
 * update (hundreds per second, several per task): the chat follows at the pace the page can
 * afford instead of rendering, and laying out, once per token; a transition is never restarted
 * by the next token, so a slow machine sees fewer, later updates, never none.
 * `selector` must be stable (defined outside the component).
 */
export function useFrameThrottled<T>(selector: (state: AppState) => T): T {
  const [value, setValue] = useState(() => selector(useStore.getState()));
  /** The value React last committed. */
  const shown = useRef(value);
  /** Tells the subscription that a render committed (set while subscribed). */
  const committed = useRef<() => void>(() => undefined);

  useEffect(() => {
    let latest = selector(useStore.getState());
    let frame: number | undefined;
    /** An update is rendering: the next one waits for its commit. */
    let rendering = false;
    const show = (): void => {
      frame = undefined;
      if (Object.is(latest, shown.current)) return;
      rendering = true;
      const next = latest;
      startTransition(() => setValue(() => next));
    };
    const schedule = (): void => {
      if (!rendering && frame === undefined && !Object.is(latest, shown.current)) frame = requestAnimationFrame(show);
    };
    committed.current = () => {
      rendering = false;
      schedule();
    };
    const unsubscribe = useStore.subscribe((state) => {
      latest = selector(state);
      schedule();
    });
    // A change between the first render and this subscription is not lost.
    schedule();
    return () => {
      unsubscribe();
      if (frame !== undefined) cancelAnimationFrame(frame);
      committed.current = () => undefined;
    };
  }, [selector]);

  useEffect(() => {
    shown.current = value;
    committed.current();
  }, [value]);

  return value;
}

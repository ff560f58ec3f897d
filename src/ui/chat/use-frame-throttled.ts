import { useEffect, useState } from 'react';
import { useStore, type AppState } from '../store/store.ts';

/**
 * Reads a value from the store like `useStore(selector)`, but renders at most once per animation
 * frame. A model streams a token per store update (hundreds per second, several per task): the
 * chat follows at the screen's pace instead of rendering, and laying out, once per token.
 * `selector` must be stable (defined outside the component).
 */
export function useFrameThrottled<T>(selector: (state: AppState) => T): T {
  const [value, setValue] = useState(() => selector(useStore.getState()));
  useEffect(() => {
    let frame: number | undefined;
    let latest = value;
    const show = (): void => {
      frame = undefined;
      setValue(() => latest);
    };
    const take = (state: AppState): void => {
      const next = selector(state);
      if (Object.is(next, latest)) return;
      latest = next;
      frame ??= requestAnimationFrame(show);
    };
    // A change between the first render and this subscription is not lost.
    take(useStore.getState());
    const unsubscribe = useStore.subscribe(take);
    return () => {
      unsubscribe();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
    // `value` only seeds `latest` once; later values come from the subscription itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selector]);
  return value;
}

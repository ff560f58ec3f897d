import type { StateCreator } from 'zustand';
import type { AppState } from './store.ts';

export interface ViewSlice {
  /** Editor and terminal font size in px; the presenter zoom changes it. */
  fontSize: number;
  zoom(delta: number): void;
  /** Which view the bottom pane shows. */
  bottomTab: 'terminal' | 'inspector';
  showBottomTab(tab: 'terminal' | 'inspector'): void;
  /** Record a WASI syscall trace in the audit of the next runs. */
  traceRuns: boolean;
  setTraceRuns(on: boolean): void;
}

const FONT_KEY = 'isobox:font-size';
const DEFAULT_FONT = 14;

function initialFont(): number {
  const stored = Number(localStorage.getItem(FONT_KEY));
  return stored >= 10 && stored <= 40 ? stored : DEFAULT_FONT;
}

export const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set, get) => ({
  fontSize: initialFont(),
  bottomTab: 'terminal',
  showBottomTab(tab) {
    set({ bottomTab: tab });
  },
  traceRuns: false,
  setTraceRuns(on) {
    set({ traceRuns: on });
  },
  zoom(delta) {
    const fontSize = delta === 0 ? DEFAULT_FONT : Math.max(10, Math.min(40, get().fontSize + delta));
    localStorage.setItem(FONT_KEY, String(fontSize));
    set({ fontSize });
  },
});

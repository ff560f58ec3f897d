import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { Table } from './stats.ts';

/** A target of issue 9 and whether this run met it. */
export interface Target {
  name: string;
  goal: string;
  measured: string;
  /** undefined: not measured in this run. */
  met: boolean | undefined;
  /** Why it was missed (or what dominates), from this run's measurements. */
  why?: string[];
  /** Changes (file + what) that would meet it, when missed. */
  suggest?: string[];
}

/** One numbered benchmark of issue 9. */
export interface Section {
  id: number;
  title: string;
  tables: Table[];
  targets: Target[];
  notes: string[];
  skipped?: string;
  seconds?: number;
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
}

export interface BenchContext {
  origin: string;
  browser(): Promise<Browser>;
  /** The built app served at `origin`. */
  dist: string;
  /** The source tree the app was built from (a snapshot of HEAD by default). */
  srcRoot: string;
  /** Repetitions for a benchmark, scaled by --runs / --quick. */
  runs(normal: number): number;
  log(message: string): void;
  /** Compiled WASI programs by name (bench/wasm/*.c). */
  wasm: Record<string, Uint8Array>;
  /** Pages kept open between suites, so not every suite pays for a Python load. */
  shared: { app?: OpenPage; bare?: OpenPage };
}

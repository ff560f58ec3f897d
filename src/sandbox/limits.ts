import type { Limits } from './protocol.ts';

/** Default limits of DESIGN.md; each can be overridden per sandbox or per run. */
export const DEFAULT_LIMITS: Limits = {
  timeoutMs: 30_000,
  outputCapBytes: 1024 * 1024,
  interruptGraceMs: 500,
};

/** Exit codes a shell gives runs the sandbox ended (as `timeout(1)` and SIGKILL do). */
export const EXIT_TIMEOUT = 124;
export const EXIT_KILLED = 137;

/**
 * Project openings in progress (the first start, a switch, a share link). Run and the terminal
 * wait for them, so a Run pressed while the page still opens runs the right file, not nothing.
 */
let inProgress = 0;
let openedOnce = false;
let waiters: Array<() => void> = [];

/** Runs `task` as a project opening: `projectOpen()` waits until it (and any other) has ended. */
export async function whileOpening<T>(task: () => Promise<T>): Promise<T> {
  inProgress++;
  try {
    return await task();
  } finally {
    inProgress--;
    openedOnce = true;
    if (inProgress === 0) {
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    }
  }
}

/** Settles once the page has opened a project and no opening is in progress. */
export function projectOpen(): Promise<void> {
  if (openedOnce && inProgress === 0) return Promise.resolve();
  return new Promise((resolve) => waiters.push(resolve));
}

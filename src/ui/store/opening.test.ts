import { beforeEach, describe, expect, it, vi } from 'vitest';

type Opening = typeof import('./opening.ts');

/** Whether `promise` has settled after the microtasks queued so far. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
}

describe('the project-opening gate', () => {
  let gate: Opening;
  beforeEach(async () => {
    vi.resetModules();
    gate = await import('./opening.ts');
  });

  it('holds a Run pressed before the page has opened any project', async () => {
    const waiting = gate.projectOpen();
    expect(await settled(waiting)).toBe(false);
    await gate.whileOpening(async () => undefined);
    expect(await settled(waiting)).toBe(true);
  });

  it('waits for every opening in progress, nested or overlapping', async () => {
    let finishSwitch = (): void => undefined;
    const outer = gate.whileOpening(async () => {
      await gate.whileOpening(async () => undefined);
      await new Promise<void>((resolve) => (finishSwitch = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const waiting = gate.projectOpen();
    expect(await settled(waiting)).toBe(false);
    finishSwitch();
    await outer;
    expect(await settled(waiting)).toBe(true);
    expect(await settled(gate.projectOpen())).toBe(true);
  });

  it('opens again after an opening that failed, and passes its error on', async () => {
    await expect(gate.whileOpening(async () => Promise.reject(new Error('storage is gone')))).rejects.toThrow('storage is gone');
    expect(await settled(gate.projectOpen())).toBe(true);
  });
});

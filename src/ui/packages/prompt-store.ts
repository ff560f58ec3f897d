import { create } from 'zustand';
import type { PackageAnswer, PackageRequest } from '../../sandbox/protocol.ts';

/** The packages prompt on screen, if any: what is asked and how to answer it. */
interface PromptState {
  pending?: { request: PackageRequest; answer(answer: PackageAnswer): void };
}

/** The one packages prompt of the page (packages-prompt); a run waits for its answer. */
export const usePackagesPrompt = create<PromptState>(() => ({}));

/**
 * Shows the prompt and resolves with the person's answer. A newer question answers an older one
 * "deny"; a question whose run was stopped (`signal`) closes, answered "deny".
 */
export function askPerson(request: PackageRequest, signal?: AbortSignal): Promise<PackageAnswer> {
  usePackagesPrompt.getState().pending?.answer('deny');
  return new Promise((resolve) => {
    const answer = (value: PackageAnswer): void => {
      signal?.removeEventListener('abort', withdraw);
      if (usePackagesPrompt.getState().pending?.answer === answer) usePackagesPrompt.setState({ pending: undefined });
      resolve(value);
    };
    const withdraw = (): void => answer('deny');
    if (signal?.aborted) return withdraw();
    signal?.addEventListener('abort', withdraw, { once: true });
    usePackagesPrompt.setState({ pending: { request, answer } });
  });
}

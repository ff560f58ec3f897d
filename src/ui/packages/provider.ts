import { createPackageProvider, type PackageProvider } from '../../sandbox/packages/provider.ts';
import { cacheStoragePackageStore } from '../../sandbox/packages/store.ts';
import type { PackageAnswer } from '../../sandbox/protocol.ts';
import type { Settings } from '../settings.ts';
import { loadConsent, rememberAnswer, rememberedAnswer } from './consent.ts';
import { askPerson } from './prompt-store.ts';

/** Verified wheels and lock files, kept across visits so packages load offline. */
const store = cacheStoragePackageStore('isobox-packages', new URL(`${import.meta.env.BASE_URL}__isobox/packages/`, globalThis.location.href).href);

/**
 * The package provider of a project's sandbox: a project's remembered answer is used without
 * asking; otherwise packages-prompt asks, and the answer is remembered for the project.
 */
export function packageProviderFor(projectId: string, settings: Settings): PackageProvider | undefined {
  try {
    return createPackageProvider({
      index: settings.packageIndex,
      pypiIndex: settings.pypiIndex,
      store,
      async ask(request, signal): Promise<PackageAnswer> {
        const names = request.packages.map((p) => p.name);
        const remembered = rememberedAnswer(loadConsent(projectId), names);
        if (remembered) return remembered;
        const answer = await askPerson(request, signal);
        // A question taken back because its run was stopped was not answered.
        if (!signal?.aborted) rememberAnswer(projectId, names, answer);
        return answer;
      },
      hint: (names) => `isobox: ${names.join(', ')} ${names.length === 1 ? 'was' : 'were'} not allowed for this project; to allow, open Settings → Python packages, press "Ask again", and run again`,
    });
  } catch {
    // An unusable index URL: Python runs without packages (Settings says why when it is saved).
    return undefined;
  }
}

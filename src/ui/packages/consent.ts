/** A project's answers about Python packages, by package name (kept in this browser, per project). */
export interface PackageConsent {
  allowed: string[];
  denied: string[];
}

const key = (projectId: string): string => `isobox:packages:${projectId}`;

/** The answers given in a project so far. */
export function loadConsent(projectId: string): PackageConsent {
  try {
    const raw = JSON.parse(localStorage.getItem(key(projectId)) ?? '{}') as Partial<PackageConsent>;
    const names = (value: unknown): string[] => (Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : []);
    return { allowed: names(raw.allowed), denied: names(raw.denied) };
  } catch {
    return { allowed: [], denied: [] };
  }
}

/** Records an answer for these packages (a later answer replaces an earlier one). */
export function rememberAnswer(projectId: string, names: string[], answer: 'allow' | 'deny'): void {
  const consent = loadConsent(projectId);
  const others = (list: string[]): string[] => list.filter((name) => !names.includes(name));
  const next: PackageConsent = answer === 'allow' ? { allowed: [...others(consent.allowed), ...names], denied: others(consent.denied) } : { allowed: others(consent.allowed), denied: [...others(consent.denied), ...names] };
  localStorage.setItem(key(projectId), JSON.stringify(next));
}

/** Forgets a project's answers: the next program that needs packages asks again. */
export function forgetConsent(projectId: string): void {
  localStorage.removeItem(key(projectId));
}

/** The remembered answer for a set of packages: allow when all were allowed, deny when any was denied and the rest allowed; else undefined (ask). */
export function rememberedAnswer(consent: PackageConsent, names: string[]): 'allow' | 'deny' | undefined {
  if (names.every((name) => consent.allowed.includes(name))) return 'allow';
  if (names.some((name) => consent.denied.includes(name)) && names.every((name) => consent.allowed.includes(name) || consent.denied.includes(name))) return 'deny';
  return undefined;
}

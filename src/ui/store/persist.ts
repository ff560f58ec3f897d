/** Small per-project UI state kept in localStorage: open tabs, the active file, unsaved buffers. */

export interface ProjectUiState {
  openTabs: string[];
  activePath?: string;
}

const uiKey = (project: string): string => `isobox:ui:${project}`;
const unsavedKey = (project: string): string => `isobox:unsaved:${project}`;

export function loadUiState(project: string): ProjectUiState {
  try {
    const parsed = JSON.parse(localStorage.getItem(uiKey(project)) ?? '{}') as Partial<ProjectUiState>;
    return {
      openTabs: Array.isArray(parsed.openTabs) ? parsed.openTabs.filter((t): t is string => typeof t === 'string') : [],
      ...(typeof parsed.activePath === 'string' ? { activePath: parsed.activePath } : {}),
    };
  } catch {
    return { openTabs: [] };
  }
}

export function saveUiState(project: string, state: ProjectUiState): void {
  localStorage.setItem(uiKey(project), JSON.stringify(state));
}

/**
 * Buffers typed but not yet written to OPFS. Written synchronously on every edit, so a reload or a
 * crash between a keystroke and the debounced save loses nothing.
 */
export function loadUnsaved(project: string): Record<string, string> {
  try {
    const parsed = JSON.parse(localStorage.getItem(unsavedKey(project)) ?? '{}') as unknown;
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

export function saveUnsaved(project: string, buffers: Record<string, string>): void {
  try {
    if (Object.keys(buffers).length === 0) localStorage.removeItem(unsavedKey(project));
    else localStorage.setItem(unsavedKey(project), JSON.stringify(buffers));
  } catch {
    // localStorage full: the debounced OPFS save still runs.
  }
}

export function clearProjectUi(project: string): void {
  localStorage.removeItem(uiKey(project));
  localStorage.removeItem(unsavedKey(project));
}

import type { StateCreator } from 'zustand';
import { languageOfPath } from '../../sandbox/host/browser.ts';
import type { Language, Manifest } from '../../sandbox/protocol.ts';
import { addProject, currentProjectId, listProjects, setCurrentProjectId, type ProjectMeta } from '../projects.ts';
import { errorMessage as message } from '../download.ts';
import { onWorkspaceChanged, openMemorySandbox, openSandbox, sandbox } from '../sandbox-client.ts';
import { STARTERS } from '../starters.ts';
import { announce, onOtherTab, type TabMessage } from '../tab-sync.ts';
import { whileOpening } from './opening.ts';
import { loadUiState, loadUnsaved, saveUiState, saveUnsaved } from './persist.ts';
import type { AppState } from './store.ts';

export interface TreeItem {
  path: string;
  kind: 'file' | 'dir';
  size: number;
}

/** Open file contents: text, or a note for files the editor should not show as text. */
export type Buffer = { kind: 'text'; text: string } | { kind: 'binary'; size: number };

export interface WorkspaceSlice {
  project?: ProjectMeta;
  projects: ProjectMeta[];
  tree: TreeItem[];
  openTabs: string[];
  activePath?: string;
  buffers: Record<string, Buffer>;
  /** Paths edited since their last save. */
  dirty: Record<string, true>;
  language: Language;
  notice?: { kind: 'error' | 'info'; text: string };
  /** Opens the current project (creating a first one); with `skipDefault`, no first project is made. */
  boot(options?: { skipDefault?: boolean }): Promise<void>;
  /** Embeds: files in memory only, nothing stored in this browser. */
  bootEmbed(files: Record<string, string>, active: string): Promise<void>;
  openProject(id: string): Promise<void>;
  refreshTree(): Promise<void>;
  openFile(path: string): Promise<void>;
  closeTab(path: string): void;
  editBuffer(path: string, text: string): void;
  /** Saves every edited buffer now (before a run, on page hide). */
  flush(): Promise<void>;
  createFile(path: string, content?: string): Promise<boolean>;
  createFolder(path: string): Promise<boolean>;
  renamePath(from: string, to: string): Promise<boolean>;
  deletePath(path: string): Promise<void>;
  uploadFiles(files: File[], dir?: string): Promise<void>;
  chooseLanguage(language: Language): Promise<void>;
  /** Resolves once a language switch in progress has opened its file (Run waits for it). */
  languageSwitched(): Promise<void>;
  /** Re-reads files a run changed, so open tabs show what the program wrote. */
  reloadChanged(paths: string[]): Promise<void>;
  setNotice(notice?: { kind: 'error' | 'info'; text: string }): void;
}

const SAVE_DELAY_MS = 300;
const saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
let languageSwitch: Promise<void> | undefined;

/** Decodes file bytes as text when they are UTF-8 without NULs; anything else is binary. */
function toBuffer(bytes: Uint8Array): Buffer {
  if (bytes.includes(0)) return { kind: 'binary', size: bytes.byteLength };
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { kind: 'binary', size: bytes.byteLength };
  }
}

export const createWorkspaceSlice: StateCreator<AppState, [], [], WorkspaceSlice> = (set, get) => {
  // Runs (Run, the terminal, the agent, window.isobox) report the workspace they leave: no re-walk.
  onWorkspaceChanged((manifest) => {
    set({ tree: treeOf(manifest) });
    const project = get().project;
    if (project) announce(project.id, { kind: 'workspace' });
  });
  onOtherTab((message) => void fromOtherTab(message));
  /** Another tab on this project opened, saved a file or ran something: follow it, never overwrite typing silently. */
  const fromOtherTab = async (message: TabMessage): Promise<void> => {
    const project = get().project;
    if (!project || project.id !== message.project) return;
    if (message.kind === 'hello' || message.kind === 'here') {
      if (message.kind === 'hello') announce(project.id, { kind: 'here' });
      set({ notice: { kind: 'info', text: 'This project is also open in another tab. Each file keeps the last save made in either tab, and each tab is told about the other\'s saves.' } });
      return;
    }
    await get().refreshTree();
    const paths = message.kind === 'saved' ? [message.path] : Object.keys(get().buffers);
    const edited = paths.filter((path) => get().dirty[path]);
    await get().reloadChanged(paths);
    if (edited.length > 0) {
      set({ notice: { kind: 'error', text: `${edited.join(', ')} changed in another tab. Your unsaved edits here are kept; saving them replaces that version.` } });
    } else if (message.kind === 'saved' && message.path in get().buffers) {
      set({ notice: { kind: 'info', text: `${message.path} was saved in another tab; this tab now shows that version.` } });
    }
  };
  const persistUi = (): void => {
    const { project, openTabs, activePath } = get();
    if (project && project.id !== 'embed') saveUiState(project.id, { openTabs, ...(activePath ? { activePath } : {}) });
  };
  const persistUnsaved = (): void => {
    const { project, dirty, buffers } = get();
    if (!project || project.id === 'embed') return;
    const unsaved: Record<string, string> = {};
    for (const path of Object.keys(dirty)) {
      const buffer = buffers[path];
      if (buffer?.kind === 'text') unsaved[path] = buffer.text;
    }
    saveUnsaved(project.id, unsaved);
  };
  const save = async (path: string): Promise<void> => {
    clearTimeout(saveTimers.get(path));
    saveTimers.delete(path);
    const buffer = get().buffers[path];
    if (!get().dirty[path] || buffer?.kind !== 'text') return;
    try {
      await sandbox().fs.writeFile(path, buffer.text);
      const project = get().project;
      if (project) announce(project.id, { kind: 'saved', path });
      if (get().buffers[path] === buffer) {
        const { [path]: _saved, ...rest } = get().dirty;
        set({ dirty: rest });
        persistUnsaved();
      }
    } catch (error) {
      set({ notice: { kind: 'error', text: `Could not save ${path}: ${message(error)}. Your text is kept in this tab.` } });
    }
  };

  /** Opens (or creates) the file of a language; a new starter file is shown at once, saved after. */
  const switchLanguage = async (language: Language): Promise<void> => {
    set({ language });
    const active = get().activePath;
    if (active && languageOfPath(active) === language) return;
    const starter = STARTERS[language as keyof typeof STARTERS];
    if (!starter) return;
    const files = get().tree.filter((t) => t.kind === 'file').map((t) => t.path);
    const existing = files.find((p) => p === starter.file) ?? files.find((p) => languageOfPath(p) === language);
    if (existing) {
      await get().openFile(existing);
    } else {
      // Shown synchronously, so what the user types next lands in this file; saved like any edit.
      const openTabs = get().openTabs.includes(starter.file) ? get().openTabs : [...get().openTabs, starter.file];
      set({
        buffers: { ...get().buffers, [starter.file]: { kind: 'text', text: starter.code } },
        dirty: { ...get().dirty, [starter.file]: true },
        openTabs,
        activePath: starter.file,
      });
      persistUi();
      persistUnsaved();
      await save(starter.file);
      await get().refreshTree();
    }
    set({ language });
  };

  /** Opens a project: its sandbox, tabs, unsaved buffers and chat. */
  const openProjectNow = async (id: string): Promise<void> => {
    // The agent works on the project it started in: end its turn there (saved in that project's chat) first.
    await get().stopAgentAndWait();
    await get().flush();
    const project = listProjects().find((p) => p.id === id);
    if (!project) return;
    setCurrentProjectId(id);
    await openSandbox(id);
    const ui = loadUiState(id);
    const unsaved = loadUnsaved(id);
    set({ project, projects: listProjects(), openTabs: [], activePath: undefined, buffers: {}, dirty: {}, tree: [], messages: [] });
    void get().loadProjectChat(id);
    await get().refreshTree();
    const existing = new Set(get().tree.filter((t) => t.kind === 'file').map((t) => t.path));
    const buffers: Record<string, Buffer> = {};
    const dirty: Record<string, true> = {};
    for (const [path, text] of Object.entries(unsaved)) {
      buffers[path] = { kind: 'text', text };
      dirty[path] = true;
    }
    const tabs = ui.openTabs.filter((path) => existing.has(path) || path in unsaved);
    set({ buffers, dirty, openTabs: tabs });
    for (const path of tabs) if (!buffers[path]) await get().openFile(path);
    const active = ui.activePath && tabs.includes(ui.activePath) ? ui.activePath : tabs[0] ?? [...existing].sort()[0];
    if (active) await get().openFile(active);
    for (const path of Object.keys(dirty)) void save(path);
    announce(id, { kind: 'hello' });
  };

  return {
    projects: [],
    tree: [],
    openTabs: [],
    buffers: {},
    dirty: {},
    language: 'python',

    async boot(options = {}) {
      let projects = listProjects();
      let id = currentProjectId();
      if (projects.length === 0 && options.skipDefault) return;
      if (projects.length === 0) {
        const first = addProject('My project');
        projects = [first];
        id = first.id;
        await openSandbox(first.id);
        await sandbox().fs.writeFile('main.py', STARTERS.python.code);
        saveUiState(first.id, { openTabs: ['main.py'], activePath: 'main.py' });
      }
      if (!id || !projects.some((p) => p.id === id)) id = projects[0]?.id;
      set({ projects });
      if (id) await get().openProject(id);
    },

    async bootEmbed(files, active) {
      await openMemorySandbox(files);
      set({ project: { id: 'embed', name: 'Embedded', createdAt: Date.now() }, buffers: {}, dirty: {} });
      await get().refreshTree();
      set({ openTabs: [active] });
      await get().openFile(active);
    },

    openProject(id) {
      return whileOpening(() => openProjectNow(id));
    },

    async refreshTree() {
      try {
        set({ tree: treeOf(await sandbox().fs.manifest()) });
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not read the workspace: ${message(error)}` } });
      }
    },

    async openFile(path) {
      if (!get().buffers[path]) {
        try {
          const buffer = toBuffer(await sandbox().fs.readFile(path));
          set({ buffers: { ...get().buffers, [path]: buffer } });
        } catch (error) {
          set({ notice: { kind: 'error', text: `Could not open ${path}: ${message(error)}` } });
          return;
        }
      }
      const openTabs = get().openTabs.includes(path) ? get().openTabs : [...get().openTabs, path];
      const language = languageOfPath(path);
      set({ openTabs, activePath: path, ...(language && language !== 'wasm' ? { language } : {}) });
      persistUi();
    },

    closeTab(path) {
      void save(path);
      const openTabs = get().openTabs.filter((p) => p !== path);
      const activePath = get().activePath === path ? openTabs[openTabs.length - 1] : get().activePath;
      set({ openTabs, activePath });
      persistUi();
    },

    editBuffer(path, text) {
      const previous = get().buffers[path];
      if (previous?.kind === 'text' && previous.text === text) return;
      set({ buffers: { ...get().buffers, [path]: { kind: 'text', text } }, dirty: { ...get().dirty, [path]: true } });
      persistUnsaved();
      clearTimeout(saveTimers.get(path));
      saveTimers.set(path, setTimeout(() => void save(path), SAVE_DELAY_MS));
    },

    async flush() {
      await Promise.all(Object.keys(get().dirty).map((path) => save(path)));
    },

    async createFile(path, content = '') {
      try {
        if (await sandbox().fs.exists(path)) {
          set({ notice: { kind: 'error', text: `${path} already exists` } });
          return false;
        }
        await sandbox().fs.writeFile(path, content);
        await get().refreshTree();
        await get().openFile(path);
        return true;
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not create ${path}: ${message(error)}` } });
        return false;
      }
    },

    async createFolder(path) {
      try {
        await sandbox().fs.mkdir(path);
        await get().refreshTree();
        return true;
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not create ${path}: ${message(error)}` } });
        return false;
      }
    },

    async renamePath(from, to) {
      if (from === to) return true;
      try {
        await get().flush();
        if (await sandbox().fs.exists(to)) {
          set({ notice: { kind: 'error', text: `${to} already exists` } });
          return false;
        }
        await sandbox().fs.rename(from, to);
        const moved = (p: string): string => (p === from ? to : p.startsWith(`${from}/`) ? to + p.slice(from.length) : p);
        const buffers = Object.fromEntries(Object.entries(get().buffers).map(([p, b]) => [moved(p), b]));
        const activePath = get().activePath;
        set({ buffers, openTabs: get().openTabs.map(moved), ...(activePath ? { activePath: moved(activePath) } : {}) });
        persistUi();
        await get().refreshTree();
        return true;
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not rename ${from}: ${message(error)}` } });
        return false;
      }
    },

    async deletePath(path) {
      try {
        clearTimeout(saveTimers.get(path));
        await sandbox().fs.remove(path);
        const gone = (p: string): boolean => p === path || p.startsWith(`${path}/`);
        const openTabs = get().openTabs.filter((p) => !gone(p));
        const buffers = Object.fromEntries(Object.entries(get().buffers).filter(([p]) => !gone(p)));
        const dirty = Object.fromEntries(Object.entries(get().dirty).filter(([p]) => !gone(p)));
        const activePath = get().activePath && gone(get().activePath ?? '') ? openTabs[openTabs.length - 1] : get().activePath;
        set({ openTabs, buffers, dirty, activePath });
        persistUi();
        persistUnsaved();
        await get().refreshTree();
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not delete ${path}: ${message(error)}` } });
      }
    },

    async uploadFiles(files, dir = '') {
      for (const file of files) {
        const path = dir ? `${dir}/${file.name}` : file.name;
        try {
          await sandbox().fs.writeFile(path, new Uint8Array(await file.arrayBuffer()));
          const { [path]: _old, ...buffers } = get().buffers;
          set({ buffers });
        } catch (error) {
          set({ notice: { kind: 'error', text: `Could not add ${file.name}: ${message(error)}` } });
        }
      }
      await get().refreshTree();
      await get().reloadChanged(files.map((f) => (dir ? `${dir}/${f.name}` : f.name)));
    },

    chooseLanguage(language) {
      languageSwitch = switchLanguage(language);
      return languageSwitch;
    },

    async languageSwitched() {
      await languageSwitch;
    },

    async reloadChanged(paths) {
      for (const path of paths) {
        if (!(path in get().buffers) || get().dirty[path]) continue;
        try {
          const buffer = toBuffer(await sandbox().fs.readFile(path));
          set({ buffers: { ...get().buffers, [path]: buffer } });
        } catch {
          const { [path]: _gone, ...buffers } = get().buffers;
          set({ buffers, openTabs: get().openTabs.filter((p) => p !== path) });
        }
      }
    },

    setNotice(notice) {
      set({ notice });
    },
  };
};

/** The file tree the UI shows for a workspace manifest. */
function treeOf(manifest: Manifest): TreeItem[] {
  return [
    ...manifest.dirs.map((path) => ({ path, kind: 'dir' as const, size: 0 })),
    ...Object.entries(manifest.files).map(([path, stamp]) => ({ path, kind: 'file' as const, size: stamp.size })),
  ].sort((a, b) => a.path.localeCompare(b.path));
}

import type { StateCreator } from 'zustand';
import { decodeShare, shareUrl, isLinkTooLong } from '../../share/codec.ts';
import type { SharePayload } from '../../share/format.ts';
import { exportZip, importZip } from '../../share/zip.ts';
import { addProject, deleteProjectDirectory, listProjects, removeProject, renameProject } from '../projects.ts';
import { download, errorMessage as message } from '../download.ts';
import { openSandbox, sandbox } from '../sandbox-client.ts';
import { STARTERS } from '../starters.ts';
import { whileOpening } from './opening.ts';
import { clearProjectUi, saveUiState } from './persist.ts';
import type { AppState } from './store.ts';

export interface ShareState {
  url: string;
  /** Set when the link is long enough that browsers or chat apps may cut it. */
  tooLong: boolean;
}

export interface ProjectsSlice {
  share?: ShareState;
  newProject(name?: string): Promise<void>;
  switchProject(id: string): Promise<void>;
  renameCurrentProject(name: string): void;
  duplicateCurrentProject(): Promise<void>;
  deleteProject(id: string): Promise<void>;
  /** Makes a share link of the current project (text files, the open file and the chat). */
  makeShareLink(): Promise<void>;
  /** Opens a `#s=` link into a new project; a bad link changes nothing and says why. */
  openShareLink(fragment: string): Promise<boolean>;
  /** Downloads the current project as a .zip. */
  downloadZip(): Promise<void>;
  /** Imports a .zip as a new project. */
  importZipFile(file: File): Promise<void>;
}

/** Every file of the open project, as bytes. */
async function readAllFiles(): Promise<Record<string, Uint8Array>> {
  const fs = sandbox().fs;
  const manifest = await fs.manifest();
  const files: Record<string, Uint8Array> = {};
  for (const path of Object.keys(manifest.files).sort()) files[path] = await fs.readFile(path);
  return files;
}

export const createProjectsSlice: StateCreator<AppState, [], [], ProjectsSlice> = (set, get) => {
  /** Creates a project holding `files`, opens it with `active` in the editor. Nothing runs. */
  const createWith = (name: string, files: Record<string, Uint8Array | string>, active?: string): Promise<void> =>
    whileOpening(() => createAndOpen(name, files, active));

  const createAndOpen = async (name: string, files: Record<string, Uint8Array | string>, active?: string): Promise<void> => {
    await get().flush();
    const project = addProject(name);
    try {
      await openSandbox(project.id);
      for (const [path, data] of Object.entries(files)) await sandbox().fs.writeFile(path, data);
    } catch (error) {
      removeProject(project.id);
      await deleteProjectDirectory(project.id);
      const current = get().project;
      if (current) await openSandbox(current.id);
      throw error;
    }
    const first = active ?? Object.keys(files).sort()[0];
    saveUiState(project.id, first ? { openTabs: [first], activePath: first } : { openTabs: [] });
    set({ projects: listProjects() });
    await get().openProject(project.id);
  };

  return {
    async newProject(name) {
      const count = listProjects().length + 1;
      await createWith(name ?? `Project ${count}`, { [STARTERS.python.file]: STARTERS.python.code }, STARTERS.python.file);
    },

    async switchProject(id) {
      if (id !== get().project?.id) await get().openProject(id);
    },

    renameCurrentProject(name) {
      const project = get().project;
      const trimmed = name.trim();
      if (!project || !trimmed) return;
      renameProject(project.id, trimmed);
      set({ project: { ...project, name: trimmed }, projects: listProjects() });
    },

    async duplicateCurrentProject() {
      const project = get().project;
      if (!project) return;
      await get().flush();
      const files = await readAllFiles();
      await createWith(`${project.name} (copy)`, files, get().activePath);
      await get().persistChatCopy(project.id);
    },

    async deleteProject(id) {
      removeProject(id);
      // The menu lists what is left at once.
      const remaining = listProjects();
      set({ projects: remaining });
      if (get().project?.id === id) {
        // Another project opens first, so that nothing runs or saves in the folder being removed.
        const next = remaining[0];
        if (next) await get().openProject(next.id);
        else await get().newProject('My project');
      }
      await deleteProjectDirectory(id);
      clearProjectUi(id);
      await get().forgetChat(id);
    },

    async makeShareLink() {
      await get().flush();
      try {
        const bytes = await readAllFiles();
        const files: Record<string, string> = {};
        const decoder = new TextDecoder('utf-8', { fatal: true });
        const skipped: string[] = [];
        for (const [path, data] of Object.entries(bytes)) {
          try {
            if (data.includes(0)) throw new Error('binary');
            files[path] = decoder.decode(data);
          } catch {
            skipped.push(path);
          }
        }
        if (Object.keys(files).length === 0) {
          set({ notice: { kind: 'error', text: 'Nothing to share: the project has no text files.' } });
          return;
        }
        const active = get().activePath;
        const chat = get().shareableChat();
        const payload: SharePayload = {
          v: 1,
          files,
          active: active && active in files ? active : (Object.keys(files).sort()[0] ?? ''),
          ...(chat && chat.length > 0 ? { chat } : {}),
        };
        const base = `${location.origin}${location.pathname}`;
        const url = shareUrl(base, payload);
        const tooLong = isLinkTooLong(url);
        set({ share: { url, tooLong } });
        if (skipped.length > 0) set({ notice: { kind: 'info', text: `Binary files are not in the link: ${skipped.join(', ')}. Download the zip to share them.` } });
        await navigator.clipboard?.writeText(url).catch(() => undefined);
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not make a share link: ${message(error)}` } });
      }
    },

    async openShareLink(fragment) {
      const result = decodeShare(fragment);
      if (!result.ok) {
        set({ notice: { kind: 'error', text: `This share link cannot be opened: ${result.error.message}. Nothing was changed.` } });
        return false;
      }
      const { payload } = result;
      try {
        await createWith(`Shared: ${payload.active}`, payload.files, payload.active);
        if (payload.chat) get().loadSharedChat(payload.chat);
        set({ notice: { kind: 'info', text: 'Opened a shared playground as a new project. Nothing runs until you press Run.' } });
        return true;
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not open the shared playground: ${message(error)}` } });
        return false;
      }
    },

    async downloadZip() {
      await get().flush();
      try {
        const name = (get().project?.name ?? 'isobox').replace(/[^\w.-]+/g, '-');
        download(`${name}.zip`, exportZip(await readAllFiles()), 'application/zip');
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not make the zip: ${message(error)}` } });
      }
    },

    async importZipFile(file) {
      const result = importZip(new Uint8Array(await file.arrayBuffer()));
      if (!result.ok) {
        set({ notice: { kind: 'error', text: `Could not import ${file.name}: ${result.error.message}. Nothing was changed.` } });
        return;
      }
      const files = Object.fromEntries(Object.entries(result.files).filter(([path]) => !path.startsWith('__MACOSX/')));
      if (Object.keys(files).length === 0) {
        set({ notice: { kind: 'error', text: `${file.name} has no files. Nothing was changed.` } });
        return;
      }
      try {
        await createWith(file.name.replace(/\.zip$/i, ''), files);
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not import ${file.name}: ${message(error)}` } });
      }
    },
  };
};

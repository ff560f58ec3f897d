/** The list of projects (ids and names) lives in localStorage; each project's files live in its own OPFS folder. */

export interface ProjectMeta {
  id: string;
  name: string;
  createdAt: number;
}

const LIST_KEY = 'isobox:projects';
const CURRENT_KEY = 'isobox:current-project';

/** All known projects, oldest first. */
export function listProjects(): ProjectMeta[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(LIST_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isProjectMeta) : [];
  } catch {
    return [];
  }
}

function isProjectMeta(value: unknown): value is ProjectMeta {
  const v = value as Partial<ProjectMeta> | null;
  return !!v && typeof v.id === 'string' && /^[a-z0-9-]+$/.test(v.id) && typeof v.name === 'string' && typeof v.createdAt === 'number';
}

function saveProjects(projects: ProjectMeta[]): void {
  localStorage.setItem(LIST_KEY, JSON.stringify(projects));
}

/** Adds a project to the list and returns it. */
export function addProject(name: string): ProjectMeta {
  const project = { id: `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, name, createdAt: Date.now() };
  saveProjects([...listProjects(), project]);
  return project;
}

export function renameProject(id: string, name: string): void {
  saveProjects(listProjects().map((p) => (p.id === id ? { ...p, name } : p)));
}

export function removeProject(id: string): void {
  saveProjects(listProjects().filter((p) => p.id !== id));
}

export function currentProjectId(): string | undefined {
  return localStorage.getItem(CURRENT_KEY) ?? undefined;
}

export function setCurrentProjectId(id: string): void {
  localStorage.setItem(CURRENT_KEY, id);
}

/** The OPFS folder of a project (created on first use). */
export async function projectDirectory(id: string): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  const projects = await root.getDirectoryHandle('projects', { create: true });
  return projects.getDirectoryHandle(id, { create: true });
}

/** Deletes a project's OPFS folder. */
export async function deleteProjectDirectory(id: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const projects = await root.getDirectoryHandle('projects', { create: true });
  await projects.removeEntry(id, { recursive: true }).catch(() => undefined);
}

import { useRef, useState } from 'react';
import { useStore } from '../store/store.ts';
import { errorMessage } from '../download.ts';

/** The project switcher: new, switch, rename, duplicate, delete (with confirm), zip export/import. */
export function ProjectMenu() {
  const project = useStore((s) => s.project);
  const projects = useStore((s) => s.projects);
  const [open, setOpen] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const zipInput = useRef<HTMLInputElement>(null);
  const store = useStore.getState;

  const close = (): void => {
    setOpen(false);
    setRenaming(false);
    setConfirmDelete(false);
  };
  /** Like any menu, a pick closes it at once; the action goes on behind. */
  const pick = (action: () => Promise<void>) => (): void => {
    close();
    action().catch((error: unknown) => store().setNotice({ kind: 'error', text: errorMessage(error) }));
  };

  return (
    <div className="project-menu">
      <button type="button" className="project-name" data-testid="project-menu" aria-expanded={open} onClick={() => setOpen(!open)} title="Projects">
        {project?.name ?? '…'} ▾
      </button>
      <input
        ref={zipInput}
        type="file"
        accept=".zip,application/zip"
        className="visually-hidden"
        data-testid="zip-input"
        aria-label="Import a project from a zip file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void store().importZipFile(file);
          close();
        }}
      />
      {open && (
        <div className="menu" role="menu">
          <div className="menu-section">Projects</div>
          {projects.map((p) => (
            <button key={p.id} type="button" role="menuitemradio" aria-checked={p.id === project?.id} data-project={p.name} onClick={pick(() => store().switchProject(p.id))}>
              {p.id === project?.id ? '● ' : '○ '}
              {p.name}
            </button>
          ))}
          <hr />
          <button type="button" role="menuitem" onClick={pick(() => store().newProject())}>
            New project
          </button>
          {renaming ? (
            <input
              autoFocus
              aria-label="Project name"
              data-testid="project-rename-input"
              defaultValue={project?.name}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  store().renameCurrentProject(e.currentTarget.value);
                  close();
                }
                if (e.key === 'Escape') close();
              }}
            />
          ) : (
            <button type="button" role="menuitem" onClick={() => setRenaming(true)}>
              Rename…
            </button>
          )}
          <button type="button" role="menuitem" onClick={pick(() => store().duplicateCurrentProject())}>
            Duplicate
          </button>
          {confirmDelete ? (
            <button type="button" role="menuitem" className="danger" data-testid="project-delete-confirm" onClick={pick(async () => {
                if (project) await store().deleteProject(project.id);
              })}>
              Really delete “{project?.name}”?
            </button>
          ) : (
            <button type="button" role="menuitem" onClick={() => setConfirmDelete(true)}>
              Delete…
            </button>
          )}
          <hr />
          <button type="button" role="menuitem" data-testid="zip-export" onClick={pick(() => store().downloadZip())}>
            Download as .zip
          </button>
          <button type="button" role="menuitem" data-testid="zip-import" onClick={() => zipInput.current?.click()}>
            Import .zip…
          </button>
        </div>
      )}
    </div>
  );
}

import { useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { useStore } from '../store/store.ts';
import type { TreeItem } from '../store/workspace-slice.ts';

type Editing = { mode: 'new-file' | 'new-folder' } | { mode: 'rename'; path: string };

/** The workspace's files: open, create, rename, delete, upload (picker or drag-and-drop). */
export function FileTree() {
  const tree = useStore((s) => s.tree);
  const activePath = useStore((s) => s.activePath);
  const openFile = useStore((s) => s.openFile);
  const createFile = useStore((s) => s.createFile);
  const createFolder = useStore((s) => s.createFolder);
  const renamePath = useStore((s) => s.renamePath);
  const deletePath = useStore((s) => s.deletePath);
  const uploadFiles = useStore((s) => s.uploadFiles);
  const [editing, setEditing] = useState<Editing>();
  const [confirming, setConfirming] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const upload = useRef<HTMLInputElement>(null);

  const commit = async (value: string): Promise<void> => {
    const name = value.trim();
    const current = editing;
    setEditing(undefined);
    if (!current || name === '') return;
    if (current.mode === 'rename') await renamePath(current.path, name);
    else if (current.mode === 'new-file') await createFile(name);
    else await createFolder(name);
  };

  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setDragging(false);
    void uploadFiles([...event.dataTransfer.files]);
  };

  return (
    <nav
      className={`files${dragging ? ' dragging' : ''}`}
      aria-label="Workspace files"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className="pane-title">
        <span>Files</span>
        <span className="pane-actions">
          <button type="button" title="New file" aria-label="New file" data-testid="new-file" onClick={() => setEditing({ mode: 'new-file' })}>
            +
          </button>
          <button type="button" title="New folder" aria-label="New folder" onClick={() => setEditing({ mode: 'new-folder' })}>
            ⊞
          </button>
          <button type="button" title="Add files from your computer" aria-label="Upload files" onClick={() => upload.current?.click()}>
            ⇪
          </button>
        </span>
      </div>
      <input
        ref={upload}
        type="file"
        multiple
        data-testid="upload-input"
        className="visually-hidden"
        aria-label="Add files to the workspace"
        onChange={(e) => {
          void uploadFiles([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      {editing && editing.mode !== 'rename' && <NameInput placeholder={editing.mode === 'new-file' ? 'file name' : 'folder name'} onDone={commit} />}
      <ul className="file-tree" data-testid="file-tree" role="tree">
        {tree.map((item) => (
          <li
            key={item.path}
            role="treeitem"
            aria-selected={item.path === activePath}
            data-path={item.path}
            data-kind={item.kind}
            className={`tree-item ${item.kind}${item.path === activePath ? ' active' : ''}`}
            style={{ paddingLeft: `${depth(item) * 12 + 8}px` }}
          >
            {editing?.mode === 'rename' && editing.path === item.path ? (
              <NameInput initial={item.path} onDone={commit} />
            ) : (
              <>
                <button type="button" className="tree-name" onClick={() => item.kind === 'file' && void openFile(item.path)} title={item.path}>
                  {item.kind === 'dir' ? '▸ ' : ''}
                  {item.path.slice(item.path.lastIndexOf('/') + 1)}
                </button>
                <span className="tree-actions">
                  <button type="button" aria-label={`Rename ${item.path}`} title="Rename" onClick={() => setEditing({ mode: 'rename', path: item.path })}>
                    ✎
                  </button>
                  {confirming === item.path ? (
                    <button type="button" className="danger" aria-label={`Confirm delete ${item.path}`} onClick={() => void deletePath(item.path).then(() => setConfirming(undefined))}>
                      delete?
                    </button>
                  ) : (
                    <button type="button" aria-label={`Delete ${item.path}`} title="Delete" onClick={() => setConfirming(item.path)}>
                      ×
                    </button>
                  )}
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function depth(item: TreeItem): number {
  return item.path.split('/').length - 1;
}

function NameInput({ initial = '', placeholder, onDone }: { initial?: string; placeholder?: string; onDone: (value: string) => Promise<void> }) {
  const [value, setValue] = useState(initial);
  const done = useRef(false);
  // Enter and the blur that follows must commit once.
  const finish = (result: string): void => {
    if (done.current) return;
    done.current = true;
    void onDone(result);
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') finish(value);
    if (event.key === 'Escape') finish('');
  };
  return (
    <input
      className="name-input"
      aria-label={placeholder ?? 'new name'}
      data-testid="name-input"
      autoFocus
      value={value}
      placeholder={placeholder}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={onKey}
      onBlur={() => finish(value)}
    />
  );
}

/** What the preview pane shows a file as, by its extension. */
export type PreviewKind = 'image' | 'svg' | 'html' | 'markdown' | 'csv';

const KINDS: Record<string, PreviewKind> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  svg: 'svg',
  html: 'html',
  htm: 'html',
  md: 'markdown',
  markdown: 'markdown',
  csv: 'csv',
};

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml' };

function extension(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** The preview kind of a workspace path, or undefined when the file is shown as source only. */
export function previewKind(path: string): PreviewKind | undefined {
  return KINDS[extension(path)];
}

/** The MIME type of an image path (the preview builds its blob with it). */
export function imageType(path: string): string {
  return IMAGE_TYPES[extension(path)] ?? 'application/octet-stream';
}

import { useEffect, useMemo, useState } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { errorMessage } from '../download.ts';
import { previewCsv } from '../preview/csv.ts';
import { htmlDocument, PREVIEW_SANDBOX, svgDocument } from '../preview/frame.ts';
import { imageType, type PreviewKind } from '../preview/kind.ts';
import { onWorkspaceChanged, sandbox } from '../sandbox-client.ts';
import './preview.css';

interface PreviewProps {
  path: string;
  kind: PreviewKind;
  /** The open buffer's text when the file is text: edits show before they are saved. */
  text?: string;
}

/**
 * A workspace file shown as what it is: an image, a drawing, a page, a document or a table.
 * HTML and SVG render in a sandboxed opaque-origin iframe with no network; Markdown renders
 * without raw HTML. A run that rewrites the file refreshes the preview.
 */
export function Preview({ path, kind, text }: PreviewProps) {
  const file = useFileBytes(path, text === undefined || kind === 'csv');
  const bytes = file && 'bytes' in file ? file.bytes : undefined;
  const source = useMemo(() => text ?? (bytes ? new TextDecoder().decode(bytes) : undefined), [text, bytes]);
  return (
    <div className="preview" data-testid="preview" data-path={path} data-kind={kind}>
      {file && 'error' in file ? (
        <p className="placeholder" role="alert">
          Could not read {path}: {file.error}
        </p>
      ) : kind === 'image' ? (
        bytes ? <ImagePreview path={path} bytes={bytes} /> : <Loading />
      ) : kind === 'csv' ? (
        bytes ? <CsvTable bytes={bytes} /> : <Loading />
      ) : source === undefined ? (
        <Loading />
      ) : kind === 'markdown' ? (
        <div className="preview-markdown">
          <Markdown remarkPlugins={[remarkGfm]} skipHtml components={MARKDOWN_COMPONENTS}>
            {source}
          </Markdown>
        </div>
      ) : (
        <iframe className="preview-frame" title={`Preview of ${path}`} sandbox={PREVIEW_SANDBOX} referrerPolicy="no-referrer" srcDoc={kind === 'svg' ? svgDocument(source) : htmlDocument(source)} />
      )}
    </div>
  );
}

function Loading() {
  return <p className="placeholder">Loading preview…</p>;
}

/**
 * The file's bytes, read from the workspace and read again whenever a run (or anything else)
 * changes the file's stamp. `wanted` false skips the read (the open buffer's text is enough).
 */
function useFileBytes(path: string, wanted: boolean): { bytes: Uint8Array } | { error: string } | undefined {
  const [state, setState] = useState<{ path: string; bytes: Uint8Array } | { path: string; error: string }>();
  useEffect(() => {
    if (!wanted) return;
    let stamp = '';
    let cancelled = false;
    const read = (): void => {
      sandbox()
        .fs.readFile(path)
        .then((bytes) => !cancelled && setState({ path, bytes }))
        .catch((error: unknown) => !cancelled && setState({ path, error: errorMessage(error) }));
    };
    read();
    const off = onWorkspaceChanged((manifest) => {
      const now = manifest.files[path];
      const next = now ? `${now.size}:${now.mtime}` : '';
      if (next !== stamp && now) {
        stamp = next;
        read();
      }
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [path, wanted]);
  return state?.path === path ? state : undefined;
}

function ImagePreview({ path, bytes }: { path: string; bytes: Uint8Array }) {
  const url = useMemo(() => URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: imageType(path) })), [path, bytes]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const [size, setSize] = useState<string>();
  return (
    <figure className="preview-image">
      <img
        src={url}
        alt={path}
        onLoad={(e) => setSize(`${e.currentTarget.naturalWidth} × ${e.currentTarget.naturalHeight}`)}
        onError={() => setSize('could not be decoded as an image')}
      />
      <figcaption>
        {path} {size ? `· ${size}` : ''} · {bytes.byteLength.toLocaleString()} bytes
      </figcaption>
    </figure>
  );
}

function CsvTable({ bytes }: { bytes: Uint8Array }) {
  const csv = useMemo(() => previewCsv(bytes), [bytes]);
  const [header, ...body] = csv.rows;
  return (
    <div className="preview-csv">
      <table>
        {header && (
          <thead>
            <tr>
              {header.map((cell, i) => (
                <th key={i}>{cell}</th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>
          {body.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => (
                <td key={i}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {csv.truncated && (
        <p className="preview-note">
          First {csv.rows.length.toLocaleString()} of {csv.totalLines.toLocaleString()} lines. Turn on “View source” for the rest.
        </p>
      )}
    </div>
  );
}

/** Markdown never loads remote content: images show their text; links open outside the app. */
const MARKDOWN_COMPONENTS: Components = {
  img: ({ alt, src }) => <span className="preview-note">[image: {alt || (typeof src === 'string' ? src : '')}]</span>,
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
};

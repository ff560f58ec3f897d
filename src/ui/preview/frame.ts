/**
 * The policy every previewed HTML or SVG document runs under, on top of the iframe's `sandbox`
 * (opaque origin: no cookies, storage or access to the app). No network at all: images and fonts
 * only from `data:`/`blob:` URLs inside the document, inline styles and scripts only.
 */
export const PREVIEW_CSP = "default-src 'none'; img-src data: blob:; media-src data: blob:; font-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

/** `sandbox` of the preview iframe: scripts may run, but never with the app's origin, popups, forms or top navigation. */
export const PREVIEW_SANDBOX = 'allow-scripts';

const cspMeta = `<meta http-equiv="Content-Security-Policy" content="${PREVIEW_CSP}">`;

/** The `srcdoc` for an HTML file: the policy first, so it applies before any of the file's markup. */
export function htmlDocument(html: string): string {
  return `<!doctype html><html><head>${cspMeta}<meta charset="utf-8"></head><body>${html}</body></html>`;
}

/** The `srcdoc` for an SVG: drawn as an image (SVG scripts never run in an image), scaled to fit. */
export function svgDocument(svg: string): string {
  const data = `data:image/svg+xml;base64,${base64(new TextEncoder().encode(svg))}`;
  return `<!doctype html><html><head>${cspMeta}<meta charset="utf-8"><style>html,body{margin:0;height:100%;background:#fff}body{display:flex;align-items:center;justify-content:center}img{max-width:100%;max-height:100%}</style></head><body><img alt="SVG image" src="${data}"></body></html>`;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Syntax colours for chat code blocks from Monaco's own colorizer, so code in the chat looks like
 * code in the editor. Monaco is imported lazily (the same bundled copy the editor uses, never a
 * CDN), and its HTML is never put into the page: it is read back into plain token runs
 * (`{ className, text }`) that React renders as text.
 */

/** A run of text with Monaco's token class (`mtk5`), which the editor theme colours. */
export interface TokenRun {
  className: string;
  text: string;
}

/** A highlighted block: one array of runs per line. */
export type HighlightedLines = TokenRun[][];

const cache = new Map<string, Promise<HighlightedLines | undefined>>();
const MAX_CACHE = 200;
/** Longer blocks stay plain: colorizing is synchronous and would hold the page for long. */
const MAX_CHARS = 50_000;

/** Reads Monaco's colorizer HTML (`<span><span class="mtk1">…</span></span><br/>` per line) back into runs. */
export function runsFromColorizerHtml(html: string): HighlightedLines {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const lines: HighlightedLines = [[]];
  const walk = (node: Node, className: string): void => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        // Monaco writes spaces as no-break spaces; copy-paste from the chat should give real ones.
        const text = (child.textContent ?? '').replace(/\u00a0/g, ' ');
        if (text) lines[lines.length - 1]?.push({ className, text });
      } else if (child instanceof Element) {
        if (child.tagName === 'BR') lines.push([]);
        else walk(child, child.getAttribute('class') ?? className);
      }
    }
  };
  walk(doc.body, '');
  // The colorizer ends every line with <br/>, the last one too.
  if (lines.length > 1 && lines[lines.length - 1]?.length === 0) lines.pop();
  return lines;
}

async function colorize(code: string, monacoId: string): Promise<HighlightedLines | undefined> {
  const { monaco } = await import('../editor/monaco.ts');
  // The token colours are the theme's; before the editor has set its dark theme, Monaco's is light.
  if (monaco.editor.getEditors().length === 0) monaco.editor.setTheme('vs-dark');
  const html = await monaco.editor.colorize(code, monacoId, { tabSize: 4 });
  return runsFromColorizerHtml(html);
}

/**
 * The token runs of `code` in Monaco's language `monacoId`, or undefined when it cannot be
 * highlighted (too long, or Monaco failed to load: the block then stays plain text).
 */
export function highlight(code: string, monacoId: string): Promise<HighlightedLines | undefined> {
  if (code.length > MAX_CHARS) return Promise.resolve(undefined);
  const key = `${monacoId}\u0000${code}`;
  let result = cache.get(key);
  if (!result) {
    result = colorize(code, monacoId).catch(() => undefined);
    if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value ?? '');
    cache.set(key, result);
  }
  return result;
}

import Anser from 'anser';

/** A run of terminal text with one style. Rendered as a React text node: never as HTML. */
export interface StyledRun {
  text: string;
  style?: { color?: string; backgroundColor?: string; fontWeight?: string; fontStyle?: string; textDecoration?: string; opacity?: number };
}

/** Splits text with ANSI SGR escapes into styled runs; other escape sequences are dropped. */
export function ansiRuns(text: string): StyledRun[] {
  // Fast path: most output has no escapes.
  if (!text.includes('\x1b')) return [{ text }];
  return Anser.ansiToJson(text, { json: true, remove_empty: true }).map((entry) => {
    const style: NonNullable<StyledRun['style']> = {};
    if (entry.fg) style.color = `rgb(${entry.fg})`;
    if (entry.bg) style.backgroundColor = `rgb(${entry.bg})`;
    if (entry.decorations.includes('bold')) style.fontWeight = 'bold';
    if (entry.decorations.includes('italic')) style.fontStyle = 'italic';
    if (entry.decorations.includes('underline')) style.textDecoration = 'underline';
    if (entry.decorations.includes('dim')) style.opacity = 0.7;
    return Object.keys(style).length > 0 ? { text: entry.content, style } : { text: entry.content };
  });
}

/** Terminal colours that match the app's CSS (and Monaco's vs-dark / vs themes). */
import type { ITheme } from '@xterm/xterm';

/** Dark, on the app's panel colours; ANSI colours as in VS Code's dark terminal. */
export const DARK_THEME: ITheme = {
  background: '#0f1115',
  foreground: '#d8dee9',
  cursor: '#d8dee9',
  cursorAccent: '#0f1115',
  selectionBackground: '#264f78',
  black: '#000000',
  red: '#f0a0a6',
  green: '#5fbf77',
  yellow: '#e0b252',
  blue: '#5b8def',
  magenta: '#c586c0',
  cyan: '#4ec9b0',
  white: '#d8dee9',
  brightBlack: '#8b93a7',
  brightRed: '#f14c4c',
  brightGreen: '#23d18b',
  brightYellow: '#f5f543',
  brightBlue: '#a8c7ff',
  brightMagenta: '#d670d6',
  brightCyan: '#29b8db',
  brightWhite: '#ffffff',
};

/** Light, as VS Code's light terminal. */
export const LIGHT_THEME: ITheme = {
  background: '#ffffff',
  foreground: '#1f2328',
  cursor: '#1f2328',
  cursorAccent: '#ffffff',
  selectionBackground: '#add6ff',
  black: '#000000',
  red: '#cd3131',
  green: '#107c10',
  yellow: '#949800',
  blue: '#0451a5',
  magenta: '#bc05bc',
  cyan: '#0598bc',
  white: '#555555',
  brightBlack: '#666666',
  brightRed: '#cd3131',
  brightGreen: '#14ce14',
  brightYellow: '#b5ba00',
  brightBlue: '#0451a5',
  brightMagenta: '#bc05bc',
  brightCyan: '#0598bc',
  brightWhite: '#a5a5a5',
};

/** The theme for the page's background (`--bg`): light on a light page, else dark. */
export function themeForPage(): ITheme {
  const background = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim();
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background);
  if (!match) return DARK_THEME;
  const [r, g, b] = match.slice(1).map((hex) => parseInt(hex, 16)) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? LIGHT_THEME : DARK_THEME;
}

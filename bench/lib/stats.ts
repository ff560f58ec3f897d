/** Summary statistics and plain-text/markdown tables for benchmark results. */

export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n: 0, min: NaN, median: NaN, max: NaN };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { n, min: sorted[0] as number, median, max: sorted[n - 1] as number };
}

/** `1234.5` ms → `1.23 s`, `12.3` → `12.3 ms`. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (Math.abs(value) >= 100) return `${value.toFixed(0)} ms`;
  return `${value.toFixed(1)} ms`;
}

export function bytes(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(2)} MiB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${value} B`;
}

/** Bytes per second as MiB/s. */
export function rate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return '–';
  return `${(bytesPerSecond / 1024 / 1024).toFixed(1)} MiB/s`;
}

export function ratio(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return `${value.toFixed(2)}×`;
}

/** A table: a header row and rows of cells. Rendered as aligned text (terminal) or markdown. */
export interface Table {
  title: string;
  head: string[];
  rows: string[][];
  notes?: string[];
}

export function textTable(table: Table): string {
  const widths = table.head.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [`\n${table.title}`, line(table.head), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)];
  for (const note of table.notes ?? []) out.push(`  ${note}`);
  return out.join('\n');
}

export function markdownTable(table: Table): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  const out = [
    `| ${table.head.map(esc).join(' | ')} |`,
    `| ${table.head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...table.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  return out.join('\n');
}

/** A timing row: label, min/median/max, and optionally the median ratio to a baseline. */
export function timingRow(label: string, s: Summary, baseline?: Summary): string[] {
  return [label, String(s.n), ms(s.min), ms(s.median), ms(s.max), baseline ? ratio(s.median / baseline.median) : ''];
}

export const TIMING_HEAD = ['measure', 'runs', 'min', 'median', 'max', 'vs bare'];

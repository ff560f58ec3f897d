/** The first rows of a CSV file, parsed for the preview table. */
export interface CsvPreview {
  rows: string[][];
  /** Lines in the whole file (a count of line breaks: quoted line breaks count too). */
  totalLines: number;
  /** Whether rows were left out (the file is longer than the preview). */
  truncated: boolean;
}

/** Bytes read for the preview: enough for the first rows of any sane CSV; a 10 MB file is not decoded whole. */
const HEAD_BYTES = 256 * 1024;

/**
 * Parses the first `maxRows` rows of CSV bytes (RFC 4180 quoting; `,` or, for .tsv-like data, tab
 * is not guessed: comma only). Only the head of the file is decoded, so big files preview fast.
 */
export function previewCsv(bytes: Uint8Array, maxRows = 200): CsvPreview {
  const head = new TextDecoder().decode(bytes.subarray(0, HEAD_BYTES));
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };
  for (; i < head.length && rows.length < maxRows; i++) {
    const c = head[i];
    if (quoted) {
      if (c === '"' && head[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') field += c;
  }
  // A last line without a line break, when the whole file was read.
  if (rows.length < maxRows && bytes.length <= HEAD_BYTES && (field !== '' || row.length > 0)) endRow();
  const totalLines = countLines(bytes);
  return { rows, totalLines, truncated: rows.length < totalLines };
}

function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) lines++;
  return lines;
}

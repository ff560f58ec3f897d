/** `ls`: lists the workspace as the terminal and the agent read it, one name per line. */
import type { FileTree } from '../worker/tree.ts';
import { type Builtin, encode, parseOptions, writeLine } from './command.ts';
import { resolvePath } from './paths.ts';

/** An entry as `ls` prints it. */
interface Listed {
  name: string;
  kind: 'file' | 'dir';
  size: number;
}

/** `ls [-l] [-a] [PATH...]`: one name per line, directories with a trailing `/`; exit 2 on a bad path, like coreutils. */
export const ls: Builtin = (args, io) => {
  const opts = parseOptions('ls', args, 'laA1');
  if (!opts.ok) {
    writeLine(io.stderr, opts.error);
    return 2;
  }
  const long = opts.flags.has('l');
  const all = opts.flags.has('a') || opts.flags.has('A');
  const operands = opts.operands.length > 0 ? opts.operands : ['.'];
  const files: Listed[] = [];
  const dirs: { operand: string; path: string }[] = [];
  let status = 0;
  for (const operand of operands) {
    const target = resolvePath(io.cwd, operand);
    if (!target.ok || !io.tree.exists(target.path)) {
      writeLine(io.stderr, `ls: cannot access '${operand}': ${target.ok ? 'No such file or directory' : target.error}`);
      status = 2;
    } else if (io.tree.isDir(target.path)) {
      dirs.push({ operand, path: target.path });
    } else {
      files.push({ name: operand, kind: 'file', size: io.tree.readFile(target.path).byteLength });
    }
  }
  // coreutils order: file operands first, then each directory, headed by its name when several.
  const blocks: string[] = [];
  if (files.length > 0) blocks.push(format(files, long));
  for (const dir of dirs) {
    const entries = listDir(io.tree, dir.path).filter((entry) => all || !entry.name.startsWith('.'));
    const body = format(entries, long);
    blocks.push(operands.length > 1 ? `${dir.operand}:\n${body}` : body);
  }
  if (blocks.length > 0) io.stdout(encode(blocks.join('\n')));
  return status;
};

function listDir(tree: FileTree, path: string): Listed[] {
  return tree.list(path).map(({ name, kind, size }) => ({ name, kind, size }));
}

/** One line per entry; `-l` adds a type/mode column and the size (a dash for directories). */
function format(entries: Listed[], long: boolean): string {
  const sizes = entries.map((entry) => (entry.kind === 'dir' ? '-' : String(entry.size)));
  const width = Math.max(0, ...sizes.map((size) => size.length));
  return entries
    .map((entry, i) => {
      const name = entry.kind === 'dir' ? `${entry.name}/` : entry.name;
      if (!long) return `${name}\n`;
      const mode = entry.kind === 'dir' ? 'drwxr-xr-x' : '-rw-r--r--';
      return `${mode} ${(sizes[i] ?? '').padStart(width)} ${name}\n`;
    })
    .join('');
}

import { describe, expect, it } from 'vitest';
import { type Command, type ShellAst, type Word, parseLine } from './parser.ts';

function ast(line: string): ShellAst {
  const result = parseLine(line);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(line)} to parse: ${result.error}`);
  return result.ast;
}

function error(line: string): string {
  const result = parseLine(line);
  if (result.ok) throw new Error(`expected ${JSON.stringify(line)} to fail`);
  return result.error;
}

/** The single command of a one-command line. */
function command(line: string): Command {
  const items = ast(line).items;
  expect(items).toHaveLength(1);
  expect(items[0]?.pipeline.commands).toHaveLength(1);
  return items[0]?.pipeline.commands[0] as Command;
}

/** A word's literal text, for words without expansions. */
function text(word: Word | undefined): string {
  return (word?.parts ?? []).map((part) => (part.kind === 'text' ? part.text : `<${part.kind}>`)).join('');
}

const words = (line: string): string[] => command(line).words.map(text);

describe('parseLine: words and quoting', () => {
  it('splits on blanks', () => {
    expect(words('  echo   hello\tworld  ')).toEqual(['echo', 'hello', 'world']);
  });

  it('keeps single-quoted text literal, including $ and backslashes', () => {
    expect(command(`echo 'a $B \\n "c"'`).words[1]?.parts).toEqual([{ kind: 'text', text: 'a $B \\n "c"', quoted: true }]);
  });

  it('joins adjacent quoted and unquoted pieces into one word', () => {
    expect(words(`echo a'b c'"d"e`)).toEqual(['echo', 'ab cde']);
  });

  it('keeps empty quotes as an empty argument', () => {
    expect(words(`echo '' ""`)).toEqual(['echo', '', '']);
  });

  it('handles escapes inside double quotes', () => {
    expect(words(`echo "a \\"q\\" \\\\ \\$HOME \\x"`)).toEqual(['echo', 'a "q" \\ $HOME \\x']);
  });

  it('handles backslash escapes outside quotes', () => {
    const parts = command('echo a\\ b \\$X \\*').words.map((word) => word.parts);
    expect(parts[1]).toEqual([
      { kind: 'text', text: 'a', quoted: false },
      { kind: 'text', text: ' ', quoted: true },
      { kind: 'text', text: 'b', quoted: false },
    ]);
    expect(parts[2]).toEqual([
      { kind: 'text', text: '$', quoted: true },
      { kind: 'text', text: 'X', quoted: false },
    ]);
    expect(parts[3]).toEqual([{ kind: 'text', text: '*', quoted: true }]);
  });

  it('treats # at the start of a word as a comment, and inside a word as text', () => {
    expect(words('echo a#b # the rest')).toEqual(['echo', 'a#b']);
    expect(ast('# only a comment').items).toEqual([]);
  });

  it('parses an empty line to no items', () => {
    expect(ast('').items).toEqual([]);
    expect(ast('   ').items).toEqual([]);
  });

  it('reads ~ at the start of a word as /workspace, elsewhere or quoted as text', () => {
    expect(words(`cd ~ ~/src a~ ~x '~' "~"`)).toEqual(['cd', '/workspace', '/workspace/src', 'a~', '~x', '~', '~']);
    expect(command('ls ~/*.py').words[1]?.parts).toEqual([
      { kind: 'text', text: '/workspace', quoted: true },
      { kind: 'text', text: '/*.py', quoted: false },
    ]);
  });

  it('keeps glob characters as unquoted text', () => {
    expect(command('ls *.py').words[1]?.parts).toEqual([{ kind: 'text', text: '*.py', quoted: false }]);
  });
});

describe('parseLine: expansions stay in the AST', () => {
  it('parses $NAME, ${NAME} and $? outside quotes', () => {
    expect(command('echo $HOME ${USER}x $?').words.slice(1).map((word) => word.parts)).toEqual([
      [{ kind: 'var', name: 'HOME', quoted: false }],
      [
        { kind: 'var', name: 'USER', quoted: false },
        { kind: 'text', text: 'x', quoted: false },
      ],
      [{ kind: 'exitCode', quoted: false }],
    ]);
  });

  it('parses expansions inside double quotes as quoted parts', () => {
    expect(command('echo "v=$V_1 ${W} $? ${?}"').words[1]?.parts).toEqual([
      { kind: 'text', text: 'v=', quoted: true },
      { kind: 'var', name: 'V_1', quoted: true },
      { kind: 'text', text: ' ', quoted: true },
      { kind: 'var', name: 'W', quoted: true },
      { kind: 'text', text: ' ', quoted: true },
      { kind: 'exitCode', quoted: true },
      { kind: 'text', text: ' ', quoted: true },
      { kind: 'exitCode', quoted: true },
    ]);
  });

  it('keeps a $ that starts no expansion literal', () => {
    expect(words('echo $ a$ $1 "$"')).toEqual(['echo', '$', 'a$', '$1', '$']);
  });

  it('ends a variable name at the first non-name character', () => {
    expect(command('echo $A-b').words[1]?.parts).toEqual([
      { kind: 'var', name: 'A', quoted: false },
      { kind: 'text', text: '-b', quoted: false },
    ]);
  });
});

describe('parseLine: assignments and parameter expansion', () => {
  it('takes NAME=value words before the command name as assignments, later ones as arguments', () => {
    const cmd = command('A=1 B="x y" run C=2');
    expect(cmd.assignments.map((a) => [a.name, text(a.value)])).toEqual([
      ['A', '1'],
      ['B', 'x y'],
    ]);
    expect(cmd.words.map(text)).toEqual(['run', 'C=2']);
  });

  it('a line of assignments only is a command without words; A= sets the empty string', () => {
    const cmd = command('A= B=$C');
    expect(cmd.words).toEqual([]);
    expect(cmd.assignments[0]?.value.parts).toEqual([{ kind: 'text', text: '', quoted: true }]);
    expect(cmd.assignments[1]?.value.parts).toEqual([{ kind: 'var', name: 'C', quoted: false }]);
  });

  it('a quoted or invalid name is not an assignment', () => {
    expect(command(`'A'=1`).assignments).toEqual([]);
    expect(command('1A=1').assignments).toEqual([]);
    expect(command('A-B=1').words.map(text)).toEqual(['A-B=1']);
  });

  it('parses ${NAME:-word}, ${NAME-word}, ${NAME:+word} and ${#NAME}, the word with its own expansions and quotes', () => {
    expect(command('echo ${A:-x $B} ${C-} ${D:+"q}"} ${#E}').words.slice(1).map((word) => word.parts)).toEqual([
      [{ kind: 'var', name: 'A', quoted: false, alternative: { op: 'use', colon: true, word: [{ kind: 'text', text: 'x ', quoted: false }, { kind: 'var', name: 'B', quoted: false }] } }],
      [{ kind: 'var', name: 'C', quoted: false, alternative: { op: 'use', colon: false, word: [] } }],
      [{ kind: 'var', name: 'D', quoted: false, alternative: { op: 'alternate', colon: true, word: [{ kind: 'text', text: 'q}', quoted: true }] } }],
      [{ kind: 'length', name: 'E', quoted: false }],
    ]);
  });

  it("inside double quotes a ' in the word is an ordinary character", () => {
    const part = command(`echo "\${A:-it's}"`).words[1]?.parts.find((p) => p.kind === 'var');
    expect(part?.kind === 'var' ? text({ parts: part.alternative?.word ?? [] }) : undefined).toBe("it's");
  });
});

describe('parseLine: redirections', () => {
  it('parses >, >>, <, 2> and 2>&1 in order', () => {
    const cmd = command('prog < in.txt > out.txt 2> err.txt >> log 2>&1');
    expect(cmd.words.map(text)).toEqual(['prog']);
    expect(cmd.redirects.map((r) => (r.kind === 'dup' ? r : { ...r, target: text(r.target) }))).toEqual([
      { kind: 'read', target: 'in.txt' },
      { kind: 'write', fd: 1, append: false, target: 'out.txt' },
      { kind: 'write', fd: 2, append: false, target: 'err.txt' },
      { kind: 'write', fd: 1, append: true, target: 'log' },
      { kind: 'dup', fd: 2, to: 1 },
    ]);
  });

  it('parses redirections without spaces and between words', () => {
    const cmd = command('echo a>out b 2>>err c >&2 1>&2');
    expect(cmd.words.map(text)).toEqual(['echo', 'a', 'b', 'c']);
    expect(cmd.redirects.map((r) => (r.kind === 'dup' ? r : { ...r, target: text(r.target) }))).toEqual([
      { kind: 'write', fd: 1, append: false, target: 'out' },
      { kind: 'write', fd: 2, append: true, target: 'err' },
      { kind: 'dup', fd: 1, to: 2 },
      { kind: 'dup', fd: 1, to: 2 },
    ]);
  });

  it('accepts a redirection alone, and a quoted or expanded target', () => {
    const cmd = command('> "my file.txt"');
    expect(cmd.words).toEqual([]);
    expect(cmd.redirects[0]).toEqual({ kind: 'write', fd: 1, append: false, target: { parts: [{ kind: 'text', text: 'my file.txt', quoted: true }] } });
    expect(command('echo > $OUT').redirects[0]).toMatchObject({ target: { parts: [{ kind: 'var', name: 'OUT' }] } });
  });

  it('reads digits as a file descriptor only right before > or <', () => {
    expect(words('echo 2 > x')).toEqual(['echo', '2']);
    expect(command('echo a2>x').words.map(text)).toEqual(['echo', 'a2']);
  });
});

describe('parseLine: pipelines and lists', () => {
  it('parses a pipeline', () => {
    const items = ast('cat a.txt | upper | wc').items;
    expect(items).toHaveLength(1);
    expect(items[0]?.pipeline.commands.map((c) => c.words.map(text))).toEqual([['cat', 'a.txt'], ['upper'], ['wc']]);
  });

  it('parses &&, || and ; with their connectors', () => {
    const items = ast('a && b || c; d|e').items;
    expect(items.map((item) => [item.connector, item.pipeline.commands.map((c) => text(c.words[0]))])).toEqual([
      [';', ['a']],
      ['&&', ['b']],
      ['||', ['c']],
      [';', ['d', 'e']],
    ]);
  });

  it('joins lines at a backslash-newline', () => {
    expect(words('echo a \\\n b\\\nc')).toEqual(['echo', 'a', 'bc']);
  });

  it('allows a trailing ; and newlines between commands', () => {
    expect(ast('echo a;').items).toHaveLength(1);
    expect(ast('echo a\n\necho b\n').items.map((item) => item.connector)).toEqual([';', ';']);
    expect(ast('echo a &&\n echo b |\n cat').items.map((item) => item.connector)).toEqual([';', '&&']);
  });

  it('treats quoted operators as text', () => {
    expect(words(`echo '|' "&&" \\; '>'`)).toEqual(['echo', '|', '&&', ';', '>']);
  });
});

describe('parseLine: errors are one-line messages, never throws', () => {
  it.each([
    [`echo 'abc`, 'isobox: syntax error: unterminated quote'],
    [`echo "abc`, 'isobox: syntax error: unterminated quote'],
    [`echo "a\\"`, 'isobox: syntax error: unterminated quote'],
    ['| cat', "isobox: syntax error: nothing before '|'"],
    ['echo |', "isobox: syntax error: nothing after '|'"],
    ['echo | | cat', "isobox: syntax error: nothing between '|' and '|'"],
    ['&& echo', "isobox: syntax error: nothing before '&&'"],
    ['echo &&', "isobox: syntax error: nothing after '&&'"],
    ['|| echo', "isobox: syntax error: nothing before '||'"],
    ['echo ||', "isobox: syntax error: nothing after '||'"],
    ['; echo', "isobox: syntax error: nothing before ';'"],
    ['echo ;; echo', "isobox: syntax error: nothing between ';' and ';'"],
    ['echo && ; echo', "isobox: syntax error: nothing between '&&' and ';'"],
    ['echo a\n&& echo b', "isobox: syntax error: nothing before '&&'"],
    ['echo >', "isobox: syntax error: '>' needs a file name"],
    ['echo >>', "isobox: syntax error: '>>' needs a file name"],
    ['cat <', "isobox: syntax error: '<' needs a file name"],
    ['echo 2> | cat', "isobox: syntax error: '2>' needs a file name"],
    ['echo > > x', "isobox: syntax error: '>' needs a file name"],
    ['sleep 1 &', "isobox: syntax error: background jobs ('&') are not supported"],
    ['a & b', "isobox: syntax error: background jobs ('&') are not supported"],
    ['echo &> x', "isobox: syntax error: '&>' is not supported (use '> FILE 2>&1')"],
    ['echo $(ls)', "isobox: syntax error: command substitution ('$(...)') is not supported"],
    ['echo "$(ls)"', "isobox: syntax error: command substitution ('$(...)') is not supported"],
    ['echo $((1+2))', "isobox: syntax error: arithmetic expansion ('$((...))') is not supported"],
    ['echo `ls`', 'isobox: syntax error: command substitution (`...`) is not supported'],
    ['echo "`ls`"', 'isobox: syntax error: command substitution (`...`) is not supported'],
    ['echo ${X', "isobox: syntax error: unterminated '${'"],
    ['echo ${X:=y}', "isobox: syntax error: unsupported parameter expansion '${X:=y}' (supported: ${NAME}, ${NAME:-default}, ${NAME:+alt}, ${#NAME}, ${?})"],
    ['echo ${}', "isobox: syntax error: unsupported parameter expansion '${}' (supported: ${NAME}, ${NAME:-default}, ${NAME:+alt}, ${#NAME}, ${?})"],
    ['echo ${X:-y', "isobox: syntax error: unterminated '${'"],
    ['(echo a)', "isobox: syntax error: subshells and grouping ('(' ')') are not supported"],
    ['cat << EOF', "isobox: syntax error: here-documents ('<<') are not supported"],
    ['diff <(ls) x', "isobox: syntax error: process substitution ('<(...)') is not supported"],
    ['echo 3> x', 'isobox: syntax error: file descriptor 3 is not supported (only 1 and 2 can be redirected to a file)'],
    ['echo 2< x', "isobox: syntax error: '2<' is not supported: only standard input can be read from a file"],
    ['echo 2>&3', "isobox: syntax error: '2>&' must be followed by 1 or 2"],
    ['echo >&file', "isobox: syntax error: '>&' must be followed by 1 or 2"],
    ['echo a\\', 'isobox: syntax error: unfinished escape: the line ends with a backslash'],
  ])('%j → %s', (line, message) => {
    expect(error(line)).toBe(message);
  });

  it('gives single-line messages', () => {
    for (const line of [`'`, '|', '&', '$(', '>']) expect(error(line)).not.toContain('\n');
  });
});

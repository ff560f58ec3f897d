import { describe, expect, it } from 'vitest';
import { LineDiscipline, type DisciplineAction } from './line-discipline.ts';

const sends = (actions: DisciplineAction[]): string[] => actions.flatMap((a) => (a.kind === 'send' ? [a.text] : []));
const echo = (actions: DisciplineAction[]): string => actions.map((a) => (a.kind === 'echo' ? a.text : '')).join('');

describe('LineDiscipline', () => {
  it('echoes typed keys and sends the line with its newline on Enter', () => {
    const tty = new LineDiscipline();
    expect(tty.feed('4')).toEqual([{ kind: 'echo', text: '4' }]);
    expect(tty.feed('2')).toEqual([{ kind: 'echo', text: '2' }]);
    expect(tty.feed('\r')).toEqual([
      { kind: 'echo', text: '\r\n' },
      { kind: 'send', text: '42\n' },
    ]);
    expect(tty.current).toBe('');
  });

  it('sends an empty line as a lone newline', () => {
    expect(sends(new LineDiscipline().feed('\r'))).toEqual(['\n']);
  });

  it('Backspace removes a whole multi-byte character and erases its cells', () => {
    const tty = new LineDiscipline();
    tty.feed('aé日😀');
    expect(echo(tty.feed('\x7f'))).toBe('\b \b\b \b'); // the emoji is two cells wide
    expect(tty.current).toBe('aé日');
    expect(echo(tty.feed('\x7f'))).toBe('\b \b\b \b');
    expect(echo(tty.feed('\x7f'))).toBe('\b \b');
    expect(tty.current).toBe('a');
    expect(sends(tty.feed('\r'))).toEqual(['a\n']);
  });

  it('Backspace keeps a combined character (e + combining accent) whole', () => {
    const tty = new LineDiscipline();
    tty.feed('xe\u0301');
    tty.feed('\x7f');
    expect(tty.current).toBe('x');
  });

  it('Backspace on an empty line does nothing', () => {
    expect(new LineDiscipline().feed('\x7f')).toEqual([]);
  });

  it('Ctrl-U erases the whole line, Ctrl-W the last word', () => {
    const tty = new LineDiscipline();
    tty.feed('hello big world');
    expect(echo(tty.feed('\x17'))).toBe('\b \b'.repeat(5));
    expect(tty.current).toBe('hello big ');
    expect(echo(tty.feed('\x15'))).toBe('\b \b'.repeat(10));
    expect(tty.current).toBe('');
    expect(sends(tty.feed('ok\r'))).toEqual(['ok\n']);
  });

  it('Ctrl-D on an empty line ends stdin; on a non-empty line sends it without a newline', () => {
    const tty = new LineDiscipline();
    expect(tty.feed('\x04')).toEqual([{ kind: 'end' }]);
    tty.feed('abc');
    expect(tty.feed('\x04')).toEqual([{ kind: 'send', text: 'abc' }]);
    expect(tty.feed('\x04')).toEqual([{ kind: 'end' }]);
  });

  it('Ctrl-C interrupts and drops the line', () => {
    const tty = new LineDiscipline();
    tty.feed('half');
    expect(tty.feed('\x03')).toEqual([{ kind: 'echo', text: '^C\r\n' }, { kind: 'interrupt' }]);
    expect(tty.current).toBe('');
  });

  it('splits a multi-line paste into one send per line and keeps the unfinished last line', () => {
    const tty = new LineDiscipline();
    const actions = tty.feed('one\rtwo\r\nthree\nfour');
    expect(sends(actions)).toEqual(['one\n', 'two\n', 'three\n']);
    expect(echo(actions)).toBe('one\r\ntwo\r\nthree\r\nfour');
    expect(tty.current).toBe('four');
  });

  it('a 50-line paste arrives as 50 lines in order', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);
    expect(sends(new LineDiscipline().feed(`${lines.join('\r')}\r`))).toEqual(lines.map((l) => `${l}\n`));
  });

  it('never splits a surrogate pair that arrives in two pieces', () => {
    const tty = new LineDiscipline();
    const emoji = '😀';
    expect(tty.feed(`a${emoji[0]}`)).toEqual([{ kind: 'echo', text: 'a' }]);
    expect(tty.feed(`${emoji[1]}\r`)).toEqual([
      { kind: 'echo', text: `${emoji}\r\n` },
      { kind: 'send', text: `a${emoji}\n` },
    ]);
  });

  it('ignores arrows and other control keys', () => {
    const tty = new LineDiscipline();
    expect(tty.feed('\x1b[A\x1b[D\x1bOH\x01x')).toEqual([{ kind: 'echo', text: 'x' }]);
    expect(tty.current).toBe('x');
  });

  it('takeLine hands back the unsent text', () => {
    const tty = new LineDiscipline();
    tty.feed('ls -l');
    expect(tty.takeLine()).toBe('ls -l');
    expect(tty.current).toBe('');
  });
});

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileTree } from '../worker/tree.ts';
import type { ReportStatus } from './runtime.ts';
import { recordingIo } from './test-io.ts';
import { createRubyRuntime, scriptName, type RubyRuntime } from './ruby.ts';

const require = createRequire(import.meta.url);
const reports: Parameters<ReportStatus>[] = [];
let ruby: RubyRuntime;

beforeAll(async () => {
  const bytes = await readFile(require.resolve('@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm'));
  ruby = createRubyRuntime({
    loadModule: () => WebAssembly.compile(bytes),
    report: (...args) => reports.push(args),
  });
});

const recorder = recordingIo;

describe('scriptName', () => {
  it('shows workspace paths as ruby FILE would from the working directory', () => {
    expect(scriptName('main.rb', '')).toBe('main.rb');
    expect(scriptName('src/app.rb', 'src')).toBe('app.rb');
    expect(scriptName('lib/x.rb', 'src')).toBe('/workspace/lib/x.rb');
    expect(scriptName('-e', 'src')).toBe('-e');
    expect(scriptName('/workspace/a.rb', 'src')).toBe('/workspace/a.rb');
  });
});

describe('Ruby runtime', () => {
  it('loads and reports its version', async () => {
    const version = await ruby.ready();
    expect(version).toMatch(/^Ruby 3\.4\.\d+$/);
    expect(reports[0]?.[0]).toBe('loading');
    expect(reports.at(-1)).toEqual(['ready', version]);
  });

  it('runs hello', async () => {
    const rec = recorder();
    expect(await ruby.run(new FileTree(), rec.io, 'puts "hello from ruby"', 'main.rb')).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stdout()).toBe('hello from ruby\n');
    expect(rec.stderr()).toBe('');
  });

  it('sets ARGV, $0, __FILE__, ENV, stdin and the working directory', async () => {
    const tree = new FileTree();
    tree.mkdir('src');
    const rec = recorder({ args: ['one', 'two words'], env: { NAME: 'Isobox' }, stdin: new TextEncoder().encode('typed\n'), cwd: 'src' });
    const code = 'p ARGV; puts $0, __FILE__, ENV["NAME"], Dir.pwd, ENV["PWD"]; puts $stdin.gets';
    expect(await ruby.run(tree, rec.io, code, 'src/app.rb')).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stdout()).toBe('["one", "two words"]\napp.rb\napp.rb\nIsobox\n/workspace/src\n/workspace/src\ntyped\n');
  });

  it('reports an uncaught exception like ruby does: message and backtrace, exit 1', async () => {
    const rec = recorder();
    const code = 'def fail_hard\n  raise ArgumentError, "boom"\nend\nfail_hard\n';
    expect(await ruby.run(new FileTree(), rec.io, code, 'main.rb')).toEqual({ status: 'error', exitCode: 1 });
    expect(rec.stderr()).toBe("main.rb:2:in 'Object#fail_hard': boom (ArgumentError)\n\tfrom main.rb:4:in '<main>'\n");
  });

  it('reports a syntax error with its line', async () => {
    const rec = recorder();
    expect(await ruby.run(new FileTree(), rec.io, 'puts 1\nx = 1 +\n', 'main.rb')).toEqual({ status: 'error', exitCode: 1 });
    expect(rec.stderr()).toMatch(/^main\.rb:\d+: syntax errors? found \(SyntaxError\)\n/);
    expect(rec.stdout()).toBe('');
  });

  it('maps exit 3 to exit code 3, and runs at_exit blocks', async () => {
    const rec = recorder();
    const code = 'at_exit { puts "bye" }\nputs "before"\nexit 3\nputs "after"';
    expect(await ruby.run(new FileTree(), rec.io, code, 'main.rb')).toEqual({ status: 'error', exitCode: 3 });
    expect(rec.stdout()).toBe('before\nbye\n');
  });

  it('reads a file from the FileTree and writes one back', async () => {
    const tree = new FileTree();
    tree.writeFile('data/in.txt', 'three\nlines\nhere\n');
    const before = tree.snapshot();
    const rec = recorder();
    const code = 'lines = File.readlines("data/in.txt", chomp: true)\nFile.write("data/out.txt", lines.reverse.join(","))\nDir.mkdir("made")\nputs lines.size';
    expect(await ruby.run(tree, rec.io, code, 'main.rb')).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stdout()).toBe('3\n');
    expect(tree.readText('data/out.txt')).toBe('here,lines,three');
    expect(tree.isDir('made')).toBe(true);
    expect(Object.keys(tree.changesSince(before).written)).toEqual(['data/out.txt']);
  });

  it('keeps no state between runs', async () => {
    const first = recorder();
    await ruby.run(new FileTree(), first.io, 'class Foo; end; $leak = 1', 'a.rb');
    const second = recorder();
    expect(await ruby.run(new FileTree(), second.io, 'p defined?(Foo), $leak', 'b.rb')).toEqual({ status: 'ok', exitCode: 0 });
    expect(second.stdout()).toBe('nil\nnil\n');
  });

  it('does not let Ruby reach JavaScript through the js gem', async () => {
    const rec = recorder();
    const code = [
      'require "js"',
      'p((JS.global[:process] rescue $!.class))',
      'p((JS.eval("return globalThis") rescue $!.class))',
      'p((JS.global.call(:fetch, "https://example.com") rescue $!.class))',
      'p((1.to_js[:constructor] rescue $!.class))',
      'puts((JS.global[:x] rescue $!.message))',
    ].join('\n');
    expect(await ruby.run(new FileTree(), rec.io, code, 'main.rb')).toEqual({ status: 'ok', exitCode: 0 });
    expect(rec.stdout()).toBe('JS::Error\nJS::Error\nJS::Error\nJS::Error\nError: isobox: reading JavaScript properties is disabled; Ruby code cannot reach JavaScript\n');
  });

  it('ends with interrupted when the flag is set while it prints, and the next run still works', async () => {
    const rec = recorder();
    let writes = 0;
    rec.io.stdout = () => {
      if (++writes === 3) Atomics.store(rec.io.interrupt, 0, 2);
    };
    expect(await ruby.run(new FileTree(), rec.io, 'loop { puts "spam" }', 'main.rb')).toEqual({ status: 'interrupted', exitCode: 130 });
    expect(rec.stderr()).toBe('');
    const next = recorder();
    expect(await ruby.run(new FileTree(), next.io, 'puts :again', 'main.rb')).toEqual({ status: 'ok', exitCode: 0 });
    expect(next.stdout()).toBe('again\n');
  });

  it('wakes from sleep when another thread sets the interrupt flag', async () => {
    const rec = recorder();
    // The other thread sets the flag 200 ms after the program printed, while it sleeps.
    const setter = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       parentPort.once('message', () => setTimeout(() => { const a = new Int32Array(workerData); Atomics.store(a, 0, 2); Atomics.notify(a, 0); }, 200));`,
      { eval: true, workerData: rec.io.interrupt.buffer },
    );
    let printed = '';
    rec.io.stdout = (bytes) => {
      printed += new TextDecoder().decode(bytes);
      setter.postMessage('go');
    };
    const started = performance.now();
    const result = await ruby.run(new FileTree(), rec.io, 'puts "sleeping"\nsleep 30\nputs "woke"', 'main.rb');
    const took = performance.now() - started;
    await setter.terminate();
    expect(result.status).toBe('interrupted');
    expect(printed).toBe('sleeping\n');
    expect(took).toBeLessThan(20_000);
  });
});

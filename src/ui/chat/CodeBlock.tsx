import { memo, useEffect, useRef, useState } from 'react';
import { copyCode, openInEditor, runBlock, stopBlock, useBlockRuns, type BlockRun } from './code-actions.ts';
import { codeLanguage, namedFile } from './fence.ts';
import { highlight, type HighlightedLines } from './highlight.ts';

interface CodeBlockProps {
  /** Identifies the block within the conversation (for its run's state). */
  blockKey: string;
  /** The fence's info string (`python main.py`). */
  info: string;
  code: string;
  /** False while the block still streams: no highlighting, Run and Open wait for the end. */
  complete: boolean;
}

/** Highlights once the block is complete and on screen: long chats only colour what is seen. */
function useHighlight(code: string, monacoId: string | undefined, complete: boolean): [React.RefObject<HTMLPreElement | null>, HighlightedLines | undefined] {
  const ref = useRef<HTMLPreElement>(null);
  const key = `${monacoId ?? ''}\u0000${code}`;
  // Colours of an older text are dropped at once when the code changes (the block re-streams).
  const [done, setDone] = useState<{ key: string; lines: HighlightedLines | undefined }>();
  useEffect(() => {
    const element = ref.current;
    if (!complete || !monacoId || !element) return;
    let cancelled = false;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      void highlight(code, monacoId).then((lines) => {
        if (!cancelled) setDone({ key, lines });
      });
    });
    observer.observe(element);
    return () => {
      cancelled = true;
      observer.disconnect();
    };
  }, [key, code, monacoId, complete]);
  return [ref, done?.key === key ? done.lines : undefined];
}

// Output is text; colour escapes and other control sequences are dropped, not interpreted.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]/g;

function RunOutput({ run }: { run: BlockRun }) {
  const result = run.result;
  const status = run.state === 'running' ? 'running' : run.state === 'failed' ? 'error' : result ? `${result.status} ${result.exitCode}` : '';
  return (
    <div className="code-run" data-testid="code-run">
      <div className="code-run-head">
        <span>output</span>
        <span className={`code-run-status status-${result?.status ?? (run.state === 'failed' ? 'error' : 'running')}`} data-testid="code-run-status">
          {status}
        </span>
        {result && <span className="code-run-time">{Math.round(result.durationMs)} ms</span>}
        {result?.truncated && <span className="code-run-time">output truncated</span>}
      </div>
      {run.output.length > 0 && (
        <pre className="code-output">
          {run.output.map((chunk, i) => (
            <span key={i} className={chunk.stream === 'stderr' ? 'term-stderr' : undefined}>
              {chunk.text.replace(ANSI, '')}
            </span>
          ))}
        </pre>
      )}
      {run.error && <div className="chat-error">{run.error}</div>}
    </div>
  );
}

/** A code block of the chat: highlighted code, its language, and Copy, Run, Open in editor. */
export const CodeBlock = memo(function CodeBlock({ blockKey, info, code, complete }: CodeBlockProps) {
  const language = codeLanguage(info.split(/\s+/, 1)[0] ?? '');
  const file = namedFile(info, code);
  const [preRef, lines] = useHighlight(code, language.monacoId, complete);
  const run = useBlockRuns((s) => s.runs[blockKey]);
  const [note, setNote] = useState('');

  const flash = (text: string): void => {
    setNote(text);
    setTimeout(() => setNote((current) => (current === text ? '' : current)), 2000);
  };
  const onCopy = async (): Promise<void> => flash((await copyCode(code)) ? 'Copied' : 'Copy failed: the browser refused the clipboard');
  const onOpen = async (): Promise<void> => {
    const path = await openInEditor(code, language.extension, file);
    if (path) flash(`Opened ${path}`);
  };
  const runner = language.run;

  return (
    <figure className="code-block" data-testid="code-block" data-language={language.label || 'text'}>
      <figcaption className="code-head">
        <span className="code-lang">{language.label || 'text'}</span>
        {file && <span className="code-file">{file}</span>}
        <span className="code-note" role="status">
          {note}
        </span>
        <span className="code-actions">
          <button type="button" onClick={() => void onCopy()}>
            Copy
          </button>
          {runner && (
            <button type="button" disabled={!complete || run?.state === 'running'} onClick={() => void runBlock(blockKey, code, runner)} title={runner.kind === 'shell' ? 'Run these commands in the sandbox' : `Run this ${language.label} once in the sandbox`}>
              Run
            </button>
          )}
          {run?.state === 'running' && (
            <button type="button" className="stop" onClick={() => stopBlock(blockKey)}>
              Stop
            </button>
          )}
          <button type="button" disabled={!complete} onClick={() => void onOpen()} title={file ? `Write to ${file} and open it` : `Save as a new .${language.extension} file and open it`}>
            Open in editor
          </button>
        </span>
      </figcaption>
      <pre className="code-body" ref={preRef} data-highlighted={lines ? 'true' : 'false'}>
        <code>
          {lines
            ? lines.map((runs, i) => (
                <span key={i} className="code-line">
                  {runs.map((r, j) => (
                    <span key={j} className={r.className}>
                      {r.text}
                    </span>
                  ))}
                  {'\n'}
                </span>
              ))
            : code}
        </code>
      </pre>
      {run && <RunOutput run={run} />}
    </figure>
  );
});

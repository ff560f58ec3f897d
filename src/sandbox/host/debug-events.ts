import type { DebugEvent, DebugFrame, DebugHit, DebugPause, DebugTrace, DebugVariable, TraceStep } from '../debug-protocol.ts';

/**
 * Reads an event the worker wrote into the debug channel. User code runs in that worker and can
 * reach the channel, so an event is untrusted text: anything that is not a well-formed event is
 * dropped (undefined) rather than shown or allowed to break the host.
 */
export function parseDebugEvent(text: string): DebugEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (value.kind === 'pause') return isPause(value.pause) ? { kind: 'pause', pause: value.pause } : undefined;
  if (value.kind !== 'end') return undefined;
  const { postMortem, trace, hits, hitsCapped } = value;
  if (postMortem !== undefined && !isPause(postMortem)) return undefined;
  if (trace !== undefined && !isTrace(trace)) return undefined;
  if (hits !== undefined && !(Array.isArray(hits) && hits.every(isHit))) return undefined;
  return {
    kind: 'end',
    ...(postMortem !== undefined ? { postMortem } : {}),
    ...(trace !== undefined ? { trace } : {}),
    ...(hits !== undefined ? { hits } : {}),
    ...(hitsCapped === true ? { hitsCapped: true } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isFrame = (v: unknown): v is DebugFrame => isRecord(v) && typeof v.function === 'string' && typeof v.file === 'string' && Number.isInteger(v.line);
const isChild = (v: unknown): boolean => isRecord(v) && typeof v.name === 'string' && typeof v.repr === 'string';
const isVariable = (v: unknown): v is DebugVariable =>
  isRecord(v) && typeof v.name === 'string' && typeof v.repr === 'string' && (v.scope === 'local' || v.scope === 'global') && (v.children === undefined || (Array.isArray(v.children) && v.children.every(isChild)));
const isStack = (v: unknown): v is DebugFrame[] => Array.isArray(v) && v.every(isFrame);
const isVariables = (v: unknown): v is DebugVariable[] => Array.isArray(v) && v.every(isVariable);

function isPause(v: unknown): v is DebugPause {
  return (
    isRecord(v) &&
    (v.reason === 'breakpoint' || v.reason === 'step' || v.reason === 'exception') &&
    isStack(v.stack) &&
    v.stack.length > 0 &&
    Array.isArray(v.variables) &&
    v.variables.every(isVariables) &&
    (v.exception === undefined || typeof v.exception === 'string')
  );
}

const isStep = (v: unknown): v is TraceStep => isRecord(v) && isStack(v.stack) && isVariables(v.variables) && Number.isInteger(v.outputLength);

function isTrace(v: unknown): v is DebugTrace {
  return isRecord(v) && Array.isArray(v.steps) && v.steps.every(isStep) && typeof v.output === 'string' && typeof v.capped === 'boolean' && Number.isInteger(v.maxSteps);
}

function isHit(v: unknown): v is DebugHit {
  return isRecord(v) && isStack(v.stack) && Array.isArray(v.watches) && v.watches.every((w) => isRecord(w) && typeof w.expr === 'string' && typeof w.value === 'string');
}

import type { DebugVariable } from '../../sandbox/host/debugger.ts';

/** One item per name, locals first; a global shadowed by a local is not shown. */
export function VariableList({ variables }: { variables: DebugVariable[] }) {
  const seen = new Set<string>();
  const shown = variables.filter((v) => !seen.has(v.name) && (seen.add(v.name), true));
  if (shown.length === 0) return <p className="debug-empty">No variables</p>;
  return (
    <ul data-testid="debug-variables" className="debug-variables">
      {shown.map((v) => (
        <li key={v.name} className={`debug-var ${v.scope}`} title={v.scope === 'global' ? 'global' : 'local'}>
          {`${v.name} = ${v.repr}`}
        </li>
      ))}
    </ul>
  );
}

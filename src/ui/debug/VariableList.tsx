import { useState } from 'react';
import type { DebugVariable } from '../../sandbox/host/debugger.ts';

/** One item per name, locals first; a global shadowed by a local is not shown. Containers expand. */
export function VariableList({ variables }: { variables: DebugVariable[] }) {
  const seen = new Set<string>();
  const shown = variables.filter((v) => !seen.has(v.name) && (seen.add(v.name), true));
  if (shown.length === 0) return <p className="debug-empty">No variables</p>;
  return (
    <ul data-testid="debug-variables" className="debug-variables">
      {shown.map((v) => (
        <Variable key={v.name} variable={v} />
      ))}
    </ul>
  );
}

function Variable({ variable }: { variable: DebugVariable }) {
  const [open, setOpen] = useState(false);
  const children = variable.children ?? [];
  return (
    <li className={`debug-var ${variable.scope}`} title={variable.scope}>
      {children.length > 0 && (
        // The arrow is drawn by CSS, so the item's text stays `name = repr`.
        <button type="button" className="debug-expand" aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${variable.name}`} onClick={() => setOpen(!open)} />
      )}
      {`${variable.name} = ${variable.repr}`}
      {open && (
        <ul className="debug-children">
          {children.map((c, i) => (
            <li key={i}>{`${c.name}: ${c.repr}`}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

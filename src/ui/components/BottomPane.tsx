import { Terminal } from '../terminal/Terminal.tsx';
import { useStore } from '../store/store.ts';
import { Inspector } from './Inspector.tsx';

/** The terminal and the inspector, as tabs under the editor. */
export function BottomPane({ withInspector = true }: { withInspector?: boolean }) {
  const tab = useStore((s) => s.bottomTab);
  const showBottomTab = useStore((s) => s.showBottomTab);
  const blocked = useStore((s) => s.lastResult?.audit.blocked.length ?? 0);
  if (!withInspector) return <Terminal />;
  return (
    <div className="bottom-pane">
      <div className="tabs bottom-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'terminal'} className={`bottom-tab${tab === 'terminal' ? ' active' : ''}`} onClick={() => showBottomTab('terminal')}>
          Terminal
        </button>
        <button type="button" role="tab" aria-selected={tab === 'inspector'} data-testid="inspector-tab" className={`bottom-tab${tab === 'inspector' ? ' active' : ''}`} onClick={() => showBottomTab('inspector')}>
          Inspector{blocked > 0 ? ` (${blocked} blocked)` : ''}
        </button>
      </div>
      <div className="bottom-body" hidden={tab !== 'terminal'}>
        <Terminal />
      </div>
      {tab === 'inspector' && (
        <div className="bottom-body">
          <Inspector />
        </div>
      )}
    </div>
  );
}

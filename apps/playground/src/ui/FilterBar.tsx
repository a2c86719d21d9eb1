// The trace filter: which processes' lanes and which kinds of events the
// sequence diagram shows. One click picks a preset (all, IPC, capabilities,
// scheduling); kinds come in groups (messages, syscalls, scheduling …) with
// a menu for single kinds, each with "only" to show that kind alone;
// processes as chips in their lane colour, plus "hide exited" for a long
// session (it hides the lanes of processes that are gone, never their
// events).

import { useState } from 'react';
import { usePlayground } from '../state/store.js';
import { KIND_GROUPS, kindName } from '../trace/names.js';
import { onlyKinds, presetOf, PRESETS } from '../trace/filter.js';
import { useThrottledVersion } from './hooks.js';
import { pidColor, groupColor } from './theme.js';
import type { TraceFilter } from '../trace/filter.js';

function toggled<T>(set: ReadonlySet<T>, items: readonly T[], hide: boolean): Set<T> {
  const next = new Set(set);
  for (const i of items) {
    if (hide) next.add(i);
    else next.delete(i);
  }
  return next;
}

export function FilterBar(): React.JSX.Element {
  useThrottledVersion(500);
  const filter = usePlayground((s) => s.filter);
  const setFilter = usePlayground((s) => s.setFilter);
  const model = usePlayground.getState().model;
  const [menu, setMenu] = useState(false);
  const apply = (f: Partial<TraceFilter>): void => setFilter({ ...filter, ...f });
  const alive = [0, ...model.lanes.filter((p) => model.procs.get(p)?.state !== 'exited')];
  const exited = model.lanes.filter((p) => model.procs.get(p)?.state === 'exited');
  const exitedHidden = filter.hideExited === true;
  const preset = presetOf(filter);

  return (
    <div className="filter-bar" data-testid="filter-bar" role="toolbar" aria-label="trace filter">
      <span className="filter-label" id="preset-label">show</span>
      <span className="presets" role="group" aria-labelledby="preset-label">
        {PRESETS.map((p) => (
          <button
            key={p.id}
            className={`chip preset${preset === p.id ? ' active' : ''}`}
            aria-pressed={preset === p.id}
            title={p.title}
            data-testid={`preset-${p.id}`}
            onClick={() => setFilter(onlyKinds(filter, p.kinds))}
          >{p.label}</button>
        ))}
      </span>
      <span className="filter-sep" />
      <span className="filter-label">lanes</span>
      {alive.map((pid) => {
        const hidden = filter.hiddenPids.has(pid);
        const name = pid === 0 ? 'kernel' : `${model.procs.get(pid)?.name ?? '?'} ${pid}`;
        return (
          <button
            key={pid}
            className={`chip${hidden ? ' off' : ''}`}
            style={{ borderColor: pidColor(pid) }}
            title={hidden ? `show ${name}` : `hide ${name}`}
            aria-pressed={!hidden}
            data-testid={`lane-chip-${pid}`}
            onClick={() => apply({ hiddenPids: toggled(filter.hiddenPids, [pid], !hidden) })}
          >
            <i style={{ background: pidColor(pid) }} />
            {name}
          </button>
        );
      })}
      {exited.length > 0 && (
        <button
          className={`chip${exitedHidden ? '' : ' off'}`}
          aria-pressed={exitedHidden}
          title="the lanes of processes that are gone in the rows on screen; their events stay"
          data-testid="hide-exited"
          onClick={() => apply({ hideExited: !exitedHidden })}
        >
          {exitedHidden ? `show ${exited.length} exited` : `hide ${exited.length} exited`}
        </button>
      )}
      <span className="filter-sep" />
      <span className="filter-label">kinds</span>
      {KIND_GROUPS.map((g) => {
        const allHidden = g.kinds.every((k) => filter.hiddenKinds.has(k));
        return (
          <button
            key={g.id}
            className={`chip${allHidden ? ' off' : ''}`}
            style={{ borderColor: groupColor(g.id) }}
            aria-pressed={!allHidden}
            title={allHidden ? `show ${g.label}` : `hide ${g.label}`}
            data-testid={`kind-chip-${g.id}`}
            onClick={() => apply({ hiddenKinds: toggled(filter.hiddenKinds, g.kinds, !allHidden) })}
          >
            <i style={{ background: groupColor(g.id) }} />
            {g.label}
          </button>
        );
      })}
      <span className="menu-wrap">
        <button className="chip" onClick={() => setMenu(!menu)} aria-expanded={menu} data-testid="kinds-menu">single kinds ▾</button>
        {menu && (
          <div className="menu" onMouseLeave={() => setMenu(false)} onKeyDown={(e) => e.key === 'Escape' && setMenu(false)}>
            {KIND_GROUPS.flatMap((g) => g.kinds).map((k) => (
              <div key={k} className="menu-row">
                <label>
                  <input
                    type="checkbox"
                    checked={!filter.hiddenKinds.has(k)}
                    onChange={(e) => apply({ hiddenKinds: toggled(filter.hiddenKinds, [k], !e.target.checked) })}
                  />
                  {kindName(k)}
                </label>
                <button
                  className="only"
                  title={`show only ${kindName(k)} events`}
                  aria-label={`only ${kindName(k)}`}
                  data-testid={`only-${kindName(k)}`}
                  onClick={() => setFilter(onlyKinds(filter, [k]))}
                >only</button>
              </div>
            ))}
          </div>
        )}
      </span>
    </div>
  );
}

// The toolbar's Scenarios menu: the library's titles (its index only; a
// scenario's file and the code that runs it load when one is picked), and
// "none" for the default playground. Picking one opens it and puts
// ?scenario=ID in the URL, so a reload or a copied link opens it again.

import { LIBRARY } from '@oncrix/scenario/library';
import { useScenario } from './state.js';

function setUrl(id: string | null): void {
  const url = new URL(window.location.href);
  if (id === null) url.searchParams.delete('scenario');
  else url.searchParams.set('scenario', id);
  window.history.replaceState(null, '', url);
}

export function ScenarioMenu(): React.JSX.Element {
  const open = useScenario((s) => s.scenario?.id ?? '');
  return (
    <select
      value={open}
      aria-label="scenarios"
      title="Scenarios: a prepared machine, a script, annotated steps and exercises"
      data-testid="scenario-menu"
      onChange={(e) => {
        const id = e.target.value;
        setUrl(id === '' ? null : id);
        void import('./open.js').then(async (m) => { if (id === '') await m.closeScenario(); else await m.openLibraryScenario(id); });
      }}
    >
      <option value="">Scenarios…</option>
      {LIBRARY.map((e) => <option key={e.id} value={e.id}>{e.title}</option>)}
    </select>
  );
}

// The scenario library shipped in the repository (packages/scenario/library):
// its index — ids and titles, for a menu — and a loader per scenario, a
// dynamic import each, so a page that lists the library loads no scenario
// until one is picked (and the playground's first load none at all).

export interface LibraryEntry {
  id: string;
  title: string;
  /** The scenario file's JSON, as parsed JSON (check it with parseScenarioValue). */
  load: () => Promise<unknown>;
}

const json = (m: { default: unknown }): unknown => m.default;

export const LIBRARY: readonly LibraryEntry[] = [
  { id: 'ipc-basics', title: 'IPC basics: call and reply', load: () => import('../library/ipc-basics.json').then(json) },
  { id: 'capabilities', title: 'Capabilities: duplicate with fewer rights, transfer, revoke', load: () => import('../library/capabilities.json').then(json) },
  { id: 'irq-uart', title: 'An interrupt reaches a user-space driver', load: () => import('../library/irq-uart.json').then(json) },
  { id: 'driver-crash', title: 'A driver crashes, and the system goes on', load: () => import('../library/driver-crash.json').then(json) },
  { id: 'scheduling', title: 'Scheduling and preemption', load: () => import('../library/scheduling.json').then(json) },
  { id: 'shared-memory', title: 'Shared memory objects', load: () => import('../library/shared-memory.json').then(json) },
  { id: 'filesystem', title: 'Files, pipes and the coreutils', load: () => import('../library/filesystem.json').then(json) },
  { id: 'supervisor', title: 'The supervisor: restart, generations, backoff', load: () => import('../library/supervisor.json').then(json) },
];

export function libraryEntry(id: string): LibraryEntry | undefined {
  return LIBRARY.find((e) => e.id === id);
}

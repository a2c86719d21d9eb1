// The library's recordings, as the build made them (scripts/record-library.ts
// writes apps/playground/build/recordings/ID.json on every `npm run build`):
// a library scenario opens from its recording when one ships, each loaded
// only when its scenario is opened. A build without them (none made yet)
// opens every scenario live.

const shipped = import.meta.glob<unknown>('/apps/playground/build/recordings/*.json', { import: 'default' });

/** The shipped recording of a library scenario, or null when none ships. */
export async function shippedRecording(id: string): Promise<unknown> {
  const load = shipped[`/apps/playground/build/recordings/${id}.json`];
  return load === undefined ? null : await load();
}

/** Whether a recording of this library scenario ships (no load). */
export function shipsRecording(id: string): boolean {
  return `/apps/playground/build/recordings/${id}.json` in shipped;
}

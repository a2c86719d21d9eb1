// The embed view's part of the URL (the whole scheme: url-state.ts) and the
// links between the two views: the `<iframe>` snippet the Embed dialog
// gives, and the "open in the playground" link the embed view shows. Both
// keep everything else in the URL — the machine, the selected event, the
// filter, the scenario in the fragment — so the two views show the same.
//
//   embed=1                   minimal chrome: the step bar, the scenario's text, the panels below
//   panels=trace,inspector,terminal   which panels the embed shows, in this order (default: all three)

export const PANELS = ['trace', 'inspector', 'terminal'] as const;
export type PanelName = (typeof PANELS)[number];

export const EMBED_PARAMS = ['embed', 'panels'] as const;

export interface EmbedView {
  embedded: boolean;
  panels: PanelName[];
  /** Whether the URL names the panels (else a scenario's view may). */
  panelsNamed: boolean;
}

const isPanel = (s: string): s is PanelName => (PANELS as readonly string[]).includes(s);

/** The embed view's parameters of a query string; unknown panel names are left out, none known means all. */
export function embedOf(search: string): EmbedView {
  const q = new URLSearchParams(search);
  const named = (q.get('panels') ?? '').split(',').map((s) => s.trim()).filter(isPanel);
  return { embedded: q.get('embed') === '1', panels: named.length > 0 ? [...new Set(named)] : [...PANELS], panelsNamed: named.length > 0 };
}

/** The same page as the full playground (no embed parameters): for "open in the playground". */
export function playgroundUrl(href: string): string {
  const url = new URL(href);
  for (const p of EMBED_PARAMS) url.searchParams.delete(p);
  url.search = url.searchParams.toString().replace(/%2C/g, ',');
  return url.toString();
}

export interface EmbedChoice {
  panels: PanelName[];
  /** The event the embed opens at (its number, #SEQ), or null: the live end. */
  event: number | null;
}

/** The page at `href` as an embed: the embed parameters and the start event set, the rest kept. */
export function embedUrl(href: string, choice: EmbedChoice): string {
  const url = new URL(href);
  url.searchParams.set('embed', '1');
  if (choice.panels.length === PANELS.length && PANELS.every((p, i) => choice.panels[i] === p)) url.searchParams.delete('panels');
  else url.searchParams.set('panels', choice.panels.join(','));
  if (choice.event === null) url.searchParams.delete('event');
  else url.searchParams.set('event', String(choice.event));
  url.search = url.searchParams.toString().replace(/%2C/g, ',');
  return url.toString();
}

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The `<iframe>` a teacher pastes into a course page. */
export function iframeSnippet(src: string, width: number, height: number, title: string): string {
  return `<iframe src="${attr(src)}" width="${width}" height="${height}" title="${attr(title)}" style="border: 1px solid #888" loading="lazy"></iframe>`;
}

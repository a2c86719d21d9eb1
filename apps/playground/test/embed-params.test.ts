// The embed view's URL (src/embed/params.ts) and the scenario check of the
// share side (src/share/scenario.ts, @oncrix/scenario's with the page's
// programs as built-ins): the snippet's src is the page as an embed with the
// panels and start event chosen, "open in the playground" drops only the
// embed parameters, and a scenario with a wrong field is refused with a
// message naming it.

import { describe, expect, it } from 'vitest';
import { embedOf, embedUrl, iframeSnippet, playgroundUrl } from '../src/embed/params.js';
import { parseScenarioText } from '../src/share/scenario.js';

const page = 'https://course.example/oncrix/?deterministic=1&event=1057&kinds=ipc#s=1.abc';

describe('the embed URL', () => {
  it('keeps the view and the scenario, adds embed=1, the panels and the start event', () => {
    const src = embedUrl(page, { panels: ['trace', 'terminal'], event: 1200 });
    expect(src).toBe('https://course.example/oncrix/?deterministic=1&event=1200&kinds=ipc&embed=1&panels=trace,terminal#s=1.abc');
    expect(embedOf(new URL(src).search)).toEqual({ embedded: true, panels: ['trace', 'terminal'], panelsNamed: true });
  });

  it('all three panels and no start event leave those parameters out', () => {
    const src = embedUrl(page, { panels: ['trace', 'inspector', 'terminal'], event: null });
    expect(src).toBe('https://course.example/oncrix/?deterministic=1&kinds=ipc&embed=1#s=1.abc');
    expect(embedOf(new URL(src).search).panels).toEqual(['trace', 'inspector', 'terminal']);
  });

  it('unknown or repeated panel names are dropped; none known means all', () => {
    expect(embedOf('?embed=1&panels=terminal,bogus,terminal').panels).toEqual(['terminal']);
    expect(embedOf('?embed=1&panels=bogus').panels).toEqual(['trace', 'inspector', 'terminal']);
    expect(embedOf('?embed=yes').embedded).toBe(false);
  });

  it('"open in the playground" is the same page without the embed parameters', () => {
    const src = embedUrl(page, { panels: ['trace'], event: 1057 });
    expect(playgroundUrl(src)).toBe('https://course.example/oncrix/?deterministic=1&event=1057&kinds=ipc#s=1.abc');
  });

  it('the snippet escapes what would end its attributes', () => {
    const html = iframeSnippet('https://x.example/?a=1&b=2', 800, 600, 'ONCRIX: "quotes" & <tags>');
    expect(html).toBe('<iframe src="https://x.example/?a=1&amp;b=2" width="800" height="600" title="ONCRIX: &quot;quotes&quot; &amp; &lt;tags>" style="border: 1px solid #888" loading="lazy"></iframe>');
  });
});

describe('a scenario the share side opens', () => {
  const good = { format: 1, id: 'ipc-basics', title: 'Call and reply', text: 'ping calls pong.' };
  const message = (s: unknown): string => {
    const r = parseScenarioText(JSON.stringify(s));
    return r.ok ? 'accepted' : r.message;
  };

  it('a minimal one is accepted', () => {
    expect(message(good)).toBe('accepted');
  });

  it('a wrong field is named', () => {
    expect(message({ ...good, format: 2 })).toMatch(/^format: 2 is not a scenario format/);
    expect(message({ ...good, cpus: 9 })).toMatch(/^cpus:/);
    expect(message({ ...good, steps: [{ at: { kind: 'msg_snd' }, text: 'a' }] })).toMatch(/^steps\[0\]\.at\.kind: "msg_snd" is not a trace kind/i);
  });

  it('a built-in program must be one the page has', () => {
    expect(message({ ...good, programs: [{ name: 'p', builtin: 'ping' }] })).toBe('accepted');
    expect(message({ ...good, programs: [{ name: 'p', builtin: 'no-such-program' }] })).toMatch(/^programs\[0\]/);
  });
});

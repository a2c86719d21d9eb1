// The scenario in a link (src/share/codec.ts): a scenario goes into "#s=1.…"
// and comes back byte for byte, whatever it holds; and a link that was cut,
// edited, made by another format version or built to inflate into too much
// is refused with a message instead of yielding anything.

import { describe, expect, it } from 'vitest';
import {
  decodeScenarioText, encodeScenarioText, MAX_JSON_BYTES, MAX_LINK_CHARS, shareValueOf, withShareValue,
} from '../src/share/codec.js';

async function value(json: string): Promise<string> {
  const e = await encodeScenarioText(json);
  if (!e.ok) throw new Error(e.message);
  return e.value;
}

async function refusal(v: string): Promise<string> {
  const d = await decodeScenarioText(v);
  expect(d.ok, 'the link is refused').toBe(false);
  return d.ok ? '' : d.message;
}

const scenario = (extra: Record<string, unknown> = {}): string => JSON.stringify({
  format: 1, id: 'ipc-basics', title: 'Call and reply', text: 'ping calls pong; pong replies.', script: ['ping 3'], ...extra,
});

describe('a scenario in a link', () => {
  it('comes back as the same text, behind the version prefix, in URL-safe characters', async () => {
    const json = scenario();
    const v = await value(json);
    expect(v).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(await decodeScenarioText(v)).toEqual({ ok: true, text: json });
  });

  it('keeps unicode text exactly (accents, CJK, emoji, a lone combining mark)', async () => {
    const json = scenario({ title: 'Appel et réponse — 呼叫与回复 🏓', text: 'e\u0301 · `ping` → pong ✓' });
    expect(await decodeScenarioText(await value(json))).toEqual({ ok: true, text: json });
  });

  it('carries a large scenario (a 100 KiB program source) compressed well under the link limit', async () => {
    const source = Array.from({ length: 2500 }, (_, i) => `  println("line ${i} of my program");`).join('\n');
    const json = scenario({ programs: [{ name: 'prog', source }] });
    expect(json.length).toBeGreaterThan(90_000);
    const v = await value(json);
    expect(v.length).toBeLessThan(MAX_LINK_CHARS);
    expect(v.length).toBeLessThan(json.length / 4);
    expect(await decodeScenarioText(v)).toEqual({ ok: true, text: json });
  });

  it('refuses to make a link of a scenario that does not compress under the limit, and says to export it', async () => {
    // Pseudo-random bytes (xorshift) in base64 compress poorly: 200 KiB of them stay far above 64 KiB.
    let x = 2463534242;
    const noise = Buffer.from(Array.from({ length: 150_000 }, () => {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      return x & 0xff;
    })).toString('base64');
    const e = await encodeScenarioText(scenario({ programs: [{ name: 'big', wasm: noise }] }));
    expect(e.ok).toBe(false);
    if (!e.ok) expect(e.message).toMatch(/too large for a link.*Export it as a file/);
  });

  it('refuses a scenario above the format\'s 1 MiB', async () => {
    const e = await encodeScenarioText(scenario({ text: 'x'.repeat(MAX_JSON_BYTES) }));
    expect(e.ok).toBe(false);
  });

  it('lives in the fragment beside other fragment parameters', async () => {
    const v = await value(scenario());
    const hash = withShareValue('#other=2', v);
    expect(hash.startsWith('#other=2&s=1.')).toBe(true);
    expect(shareValueOf(hash)).toBe(v);
    expect(withShareValue(hash, null)).toBe('#other=2');
    expect(shareValueOf('')).toBeNull();
  });
});

describe('a link that is not a scenario is refused with a message', () => {
  it('garbage', async () => {
    expect(await refusal('hello world')).toMatch(/does not start with a link format version/);
    expect(await refusal('1.!!!$$$')).toMatch(/characters that a link of this format never has/);
    expect(await refusal('1.aGVsbG8gd29ybGQ')).toMatch(/damaged or cut short/); // base64url of plain "hello world"
    expect(await refusal('1.')).toMatch(/empty/);
  });

  it('a truncated link, cut anywhere', async () => {
    const v = await value(scenario({ text: 'a teaching text long enough to span several deflate symbols '.repeat(20) }));
    for (const cut of [v.length - 1, v.length - 3, Math.floor(v.length / 2), 6]) {
      expect(await refusal(v.slice(0, cut)), `cut at ${cut} of ${v.length}`).toMatch(/cut short/);
    }
  });

  it('a link of another format version', async () => {
    const v = await value(scenario());
    expect(await refusal(`2${v.slice(1)}`)).toMatch(/link format 2, and this playground reads format 1/);
  });

  it('a link longer than the limit, before decoding anything', async () => {
    expect(await refusal(`1.${'A'.repeat(MAX_LINK_CHARS)}`)).toMatch(/more than a link may carry/);
  });

  it('a small link that inflates beyond 1 MiB (a compression bomb)', async () => {
    const bomb = await encodeScenarioText(' '.repeat(MAX_JSON_BYTES));
    expect(bomb.ok).toBe(true);
    // Two of them side by side: the same bytes, inflating to twice the limit.
    const packed = await new Response(new Blob([' '.repeat(MAX_JSON_BYTES * 2)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
    const v = `1.${Buffer.from(packed).toString('base64url')}`;
    expect(v.length).toBeLessThan(MAX_LINK_CHARS);
    expect(await refusal(v)).toMatch(/unpacks into more than 1024 KiB/);
  });

  it('compressed bytes that are not UTF-8, or text that is not JSON', async () => {
    const deflate = async (bytes: Uint8Array): Promise<string> => {
      const packed = await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
      return `1.${Buffer.from(packed).toString('base64url')}`;
    };
    expect(await refusal(await deflate(new Uint8Array([0xff, 0xfe, 0x00, 0xc3])))).toMatch(/not unpack into text/);
    expect(await refusal(await deflate(new TextEncoder().encode('{"format": 1, "id": ')))).toMatch(/not unpack into JSON/);
  });
});

// A whole scenario carried in a link: the scenario's JSON, compressed with
// raw DEFLATE (CompressionStream('deflate-raw'), in every current browser
// and in Node 20) and written in base64url, behind a format prefix —
//
//   #s=1.<base64url of deflate-raw(JSON)>
//
// in the URL's fragment, which the browser never sends to the server: so no
// server's request-line limit applies, and the scenario stays on the
// reader's machine. The prefix ("1.") is this link format's version; a link
// of another version is refused with a message rather than misread.
//
// A link is input from anywhere, so the decoder trusts nothing: it checks
// the prefix, the alphabet and the length before decoding, inflates with a
// cap on the output (a small link must not inflate into gigabytes), and
// reports a truncated stream, bytes that are not UTF-8 and text that is not
// JSON, each with a message a person can act on. It only ever yields text:
// what the scenario means is parseScenario's to check (share/load.ts).

/** The fragment parameter that holds a scenario. */
export const SHARE_PARAM = 's';
/** This link format's version, the prefix of every value ("1."). */
export const LINK_VERSION = 1;
/**
 * The longest value accepted, in characters. Browsers take far longer URLs
 * (Chromium 2 MB), but a link must survive being pasted into mail, chat and
 * an LMS's link field; 64 KiB carries a scenario with several program
 * sources (they compress about 4:1), and a larger one travels as a file.
 */
export const MAX_LINK_CHARS = 64 * 1024;
/** The longest scenario JSON a link may inflate to: the scenario format's own limit (1 MiB). */
export const MAX_JSON_BYTES = 1024 * 1024;

export type Encoded = { ok: true; value: string } | { ok: false; message: string };
export type Decoded = { ok: true; text: string } | { ok: false; message: string };

const PREFIX = `${LINK_VERSION}.`;
const ALPHABET = /^[A-Za-z0-9_-]*$/;

function toBase64url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: string): Uint8Array | null {
  if (s.length % 4 === 1) return null; // no base64 string has this length: a character was lost
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** Run bytes through a (de)compression stream; `limit` caps the output (null when exceeded). */
async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array | null> {
  const writer = stream.writable.getWriter();
  // The writer's promises reject with the stream's error too; the reader reports it.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const kib = (n: number): string => `${Math.ceil(n / 1024)} KiB`;

/** The fragment value ("1.…") that carries this scenario JSON, or why it cannot be a link. */
export async function encodeScenarioText(json: string): Promise<Encoded> {
  const raw = new TextEncoder().encode(json);
  if (raw.length > MAX_JSON_BYTES) {
    return { ok: false, message: `The scenario is ${kib(raw.length)} of JSON, more than a scenario may be (${kib(MAX_JSON_BYTES)}).` };
  }
  const packed = await pipe(raw, new CompressionStream('deflate-raw'));
  const value = PREFIX + toBase64url(packed ?? new Uint8Array());
  if (value.length > MAX_LINK_CHARS) {
    return {
      ok: false,
      message: `The scenario is too large for a link: ${kib(value.length)} once compressed, and a link carries at most ${kib(MAX_LINK_CHARS)}. Export it as a file instead (Scenario → Export).`,
    };
  }
  return { ok: true, value };
}

/** The scenario JSON a fragment value ("1.…") carries, or what is wrong with it. Never throws. */
export async function decodeScenarioText(value: string): Promise<Decoded> {
  const bad = (why: string): Decoded => ({ ok: false, message: `The scenario in this link cannot be read: ${why}` });
  if (value.length > MAX_LINK_CHARS) return bad(`it is ${kib(value.length)} long, more than a link may carry (${kib(MAX_LINK_CHARS)}).`);
  const dot = value.indexOf('.');
  const version = dot > 0 ? value.slice(0, dot) : '';
  if (!/^\d+$/.test(version)) return bad('it does not start with a link format version ("1."); it may have been cut or edited.');
  if (version !== String(LINK_VERSION)) {
    return bad(`it is in link format ${version}, and this playground reads format ${LINK_VERSION}. Open it with the ONCRIX that made it, or ask for the scenario file.`);
  }
  const body = value.slice(dot + 1);
  if (body === '') return bad('it is empty after its version.');
  if (!ALPHABET.test(body)) return bad('it holds characters that a link of this format never has; it may have been cut or edited.');
  const packed = fromBase64url(body);
  if (packed === null) return bad('it is cut short (its last characters are missing).');
  let raw: Uint8Array | null;
  try {
    raw = await pipe(packed, new DecompressionStream('deflate-raw'), MAX_JSON_BYTES);
  } catch {
    return bad('its compressed data is damaged or cut short (copy the whole link).');
  }
  if (raw === null) return bad(`it unpacks into more than ${kib(MAX_JSON_BYTES)}, more than a scenario may be.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return bad('it does not unpack into text.');
  }
  try {
    JSON.parse(text);
  } catch (e) {
    return bad(`it does not unpack into JSON (${(e as Error).message}).`);
  }
  return { ok: true, text };
}

/** The scenario value of a URL fragment ("#s=1.…"), or null when it carries none. */
export function shareValueOf(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get(SHARE_PARAM);
}

/** A URL fragment that carries this value, keeping the fragment's other parameters ("#s=1.…"). */
export function withShareValue(hash: string, value: string | null): string {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  if (value === null) q.delete(SHARE_PARAM);
  else q.set(SHARE_PARAM, value);
  const s = q.toString();
  return s === '' ? '' : `#${s}`;
}

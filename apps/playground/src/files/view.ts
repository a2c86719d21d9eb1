// How the file browser shows a file's bytes: as text when they are text
// (valid UTF-8 without control characters other than tab, newline and
// carriage return), else as a hex dump — 16 bytes a row, offset, hex, and
// the printable ASCII beside it, as `xxd` prints it. Big files are cut to
// what a panel can show; the download always gives every byte.

/** The most bytes shown (the rest is said, not drawn). */
export const VIEW_MAX = 64 * 1024;

/** Is it text a person reads? */
export function isText(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** An xxd-like dump: "00000000  00 61 73 6d 01 00 00 00  ...  |.asm....|". */
export function hexDump(bytes: Uint8Array): string {
  const rows: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, at + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push(`${at.toString(16).padStart(8, '0')}  ${`${left}  ${right}`.padEnd(48)}  |${ascii}|`);
  }
  return rows.join('\n');
}

/** What the viewer shows: text or a dump of at most VIEW_MAX bytes, and how many bytes were left out. */
export function viewOf(bytes: Uint8Array): { kind: 'text' | 'hex'; body: string; omitted: number } {
  const shown = bytes.subarray(0, VIEW_MAX);
  const omitted = bytes.length - shown.length;
  if (isText(shown)) return { kind: 'text', body: new TextDecoder().decode(shown), omitted };
  return { kind: 'hex', body: hexDump(shown), omitted };
}

/** "6 B", "1.5 KiB", "2.0 MiB". */
export function sizeText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

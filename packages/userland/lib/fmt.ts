// liboncrix: small text formatting — padding, integers, durations.
//
// Enough for aligned tables (ps, caps) and measurements (ping), without a
// printf: build strings from pieces and pad them into columns.

/** s padded with spaces on the left to width (never cut). */
export function padLeft(s: string, width: i32): string {
  return s.length >= width ? s : " ".repeat(width - s.length) + s;
}

/** s padded with spaces on the right to width (never cut). */
export function padRight(s: string, width: i32): string {
  return s.length >= width ? s : s + " ".repeat(width - s.length);
}

/** An integer in decimal. */
export function int(v: i64): string {
  return v.toString();
}

/** An unsigned value in hexadecimal with a 0x prefix. */
export function hex(v: u32): string {
  return "0x" + v.toString(16);
}

/** x with `decimals` digits after the point (rounded half up; no exponent). */
export function fixed(x: f64, decimals: i32): string {
  const neg = x < 0;
  let scale: f64 = 1;
  for (let i = 0; i < decimals; i++) scale *= 10;
  const n = <i64>Math.round(Math.abs(x) * scale);
  const whole = n / <i64>scale;
  let s = whole.toString();
  if (decimals > 0) {
    const frac = (n % <i64>scale).toString();
    s += "." + "0".repeat(decimals - frac.length) + frac;
  }
  return neg && n != 0 ? "-" + s : s;
}

/** A duration given in microseconds, with one decimal: "41.3 µs". */
export function micros(us: f64): string {
  return fixed(us, 1) + " µs";
}

/** A duration in microseconds in a readable unit: "850 µs", "12.5 ms", "3.20 s". */
export function duration(us: f64): string {
  if (us < 1000) return fixed(us, 0) + " µs";
  if (us < 1000000) return fixed(us / 1000, 1) + " ms";
  return fixed(us / 1000000, 2) + " s";
}

/** A non-negative decimal integer, or -1 when s is not one (or too large). */
export function parseDecimal(s: string): i32 {
  if (s.length == 0 || s.length > 9) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** The words of a line split on spaces (runs of spaces count as one). */
export function splitWords(line: string): Array<string> {
  const out = new Array<string>();
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const space = i == line.length || line.charCodeAt(i) == 32 || line.charCodeAt(i) == 9;
    if (space) {
      if (start >= 0) out.push(line.substring(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  return out;
}

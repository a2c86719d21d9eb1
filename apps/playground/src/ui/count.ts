// A count as the status line shows it: digits in groups of three, with
// commas (1,330,957). Written out rather than with toLocaleString('en'):
// the first use of Intl's number formatting in a page loads its locale
// data, 20–45 ms on the main thread of the 2-core machine, and the status
// line renders in the page's first frame, before the shell prompt.

/** `n` (an integer) with its digits grouped by commas. */
export function grouped(n: number): string {
  const digits = Math.abs(Math.trunc(n)).toString();
  const head = digits.length % 3 === 0 ? 3 : digits.length % 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

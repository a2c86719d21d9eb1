// true: does nothing and exits 0 — the smallest process, for measuring spawn.

export function _start(): void {}

// The platform's limit, measured inside the playground's own page: what the
// cheapest ways for Workers to take turns cost in this browser, on this
// machine, in this run. Every ONCRIX figure of the Chromium section is a
// ratio to one of these.
//
// - a two-Worker round trip over a SharedArrayBuffer word, sleeping in
//   Atomics.wait (what a syscall does underneath) or spinning;
// - a three-Worker relay A → K → B → K → A, every hop a wait/notify wake-up:
//   the shape of a call through the kernel Worker (ping → kernel → pong →
//   kernel → ping), so the limit a call/reply can reach;
// - a postMessage round trip between two Workers, and the time from
//   `new Worker` to its first message (what a spawn would pay without a pool).
//
// The Workers come from Blob URLs made by the page, so they live in the
// page's origin and inherit its cross-origin isolation. The code runs in the
// page as text (PAGE_BASELINES is an async function expression), so no
// bundler helper can sneak into it.

/** What PAGE_BASELINES resolves with: mean µs per round trip (ms for a Worker start), one entry per trial. */
export interface PageBaselines {
  isolated: boolean;
  waitNotifyUs: number[];
  spinUs: number[];
  relayUs: number[];
  postMessageUs: number[];
  workerStartMs: number[];
}

/** Round trips per trial (after a warm-up of a tenth as many). */
export interface BaselineRounds {
  waitNotify: number;
  spin: number;
  relay: number;
  postMessage: number;
  trials: number;
}

/** The Worker: one role of one exchange, chosen by its first message. */
const WORKER = String.raw`
onmessage = (e) => {
  const { kind, role, sab, rounds, warm, port } = e.data;
  const w = new Int32Array(sab);
  const sleepUntil = (i, want, old) => { while (Atomics.load(w, i) !== want) Atomics.wait(w, i, old); };
  const takeTurn = (i, want) => { let v; while ((v = Atomics.load(w, i)) !== want) Atomics.wait(w, i, v); };
  const spinUntil = (i, want) => { while (Atomics.load(w, i) !== want) {} };
  const ask = (i, spin) => {
    Atomics.store(w, i, 1);
    if (spin) spinUntil(i, 2);
    else { Atomics.notify(w, i); sleepUntil(i, 2, 1); }
  };
  const answer = (i, spin) => {
    if (spin) spinUntil(i, 1); else takeTurn(i, 1);
    Atomics.store(w, i, 2);
    if (!spin) Atomics.notify(w, i);
  };
  if (kind === 'post') {
    if (role === 'echo') { port.onmessage = (m) => port.postMessage(m.data); return; }
    let i = 0; let t0 = 0;
    port.onmessage = () => {
      i++;
      if (i === warm) t0 = performance.now();
      if (i === warm + rounds) { postMessage(((performance.now() - t0) * 1000) / rounds); return; }
      port.postMessage(i);
    };
    port.postMessage(0);
    return;
  }
  const spin = kind === 'spin';
  const total = warm + rounds;
  if (role === 'caller') {
    let t0 = 0;
    for (let i = 0; i < total; i++) {
      if (i === warm) t0 = performance.now();
      ask(0, spin);
    }
    postMessage(((performance.now() - t0) * 1000) / rounds);
  } else if (role === 'echo') {
    for (let i = 0; i < total; i++) answer(kind === 'relay' ? 1 : 0, spin);
    postMessage('done');
  } else if (role === 'relay') {
    for (let i = 0; i < total; i++) {
      takeTurn(0, 1);
      Atomics.store(w, 1, 1); Atomics.notify(w, 1); sleepUntil(1, 2, 1);
      Atomics.store(w, 0, 2); Atomics.notify(w, 0);
    }
    postMessage('done');
  }
};
postMessage('ready');
`;

/** An async function expression for page.evaluate: (rounds) => PageBaselines. */
export const PAGE_BASELINES = String.raw`async (rounds) => {
  const url = URL.createObjectURL(new Blob([${JSON.stringify(WORKER)}], { type: 'text/javascript' }));
  const started = (w) => new Promise((resolve) => { w.onmessage = () => resolve(w); });
  const start = async () => started(new Worker(url));
  const reply = (w) => new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); });
  const exchange = async (kind, n) => {
    const sab = new SharedArrayBuffer(16);
    const roles = kind === 'relay' ? ['caller', 'relay', 'echo'] : ['caller', 'echo'];
    const ws = await Promise.all(roles.map(start));
    const results = ws.map(reply);
    ws.forEach((w, i) => w.postMessage({ kind, role: roles[i], sab, rounds: n, warm: Math.ceil(n / 10) }));
    const us = await results[0];
    await Promise.all(results);
    ws.forEach((w) => w.terminate());
    return us;
  };
  const post = async (n) => {
    const ch = new MessageChannel();
    const ws = await Promise.all([start(), start()]);
    const result = reply(ws[0]);
    ws[1].postMessage({ kind: 'post', role: 'echo', port: ch.port2 }, [ch.port2]);
    ws[0].postMessage({ kind: 'post', role: 'caller', port: ch.port1, rounds: n, warm: Math.ceil(n / 10) }, [ch.port1]);
    const us = await result;
    ws.forEach((w) => w.terminate());
    return us;
  };
  const workerStart = async () => {
    const t0 = performance.now();
    const w = await start();
    const ms = performance.now() - t0;
    w.terminate();
    return ms;
  };
  const out = { isolated: self.crossOriginIsolated, waitNotifyUs: [], spinUs: [], relayUs: [], postMessageUs: [], workerStartMs: [] };
  for (let t = 0; t < rounds.trials; t++) {
    out.waitNotifyUs.push(await exchange('wait', rounds.waitNotify));
    out.spinUs.push(await exchange('spin', rounds.spin));
    out.relayUs.push(await exchange('relay', rounds.relay));
    out.postMessageUs.push(await post(rounds.postMessage));
    out.workerStartMs.push(await workerStart());
  }
  URL.revokeObjectURL(url);
  return out;
}`;

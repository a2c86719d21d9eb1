// `vite preview` of the production build (dist/playground) on a free port,
// for the scripts that measure the playground outside Playwright Test
// (prompt-time.ts, the benchmark's Chromium section). The preview server
// sends COOP/COEP, so the page is cross-origin isolated, as the tests see it.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** A free TCP port on localhost. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Preview {
  /** The page's address, ending in '/'. */
  url: string;
  stop(): void;
}

/** Start `vite preview` of dist/playground; resolves once it answers. */
export async function startPreview(): Promise<Preview> {
  const port = await freePort();
  const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/`;
  // The server goes with this process however it ends: stopped, exiting, or killed by a signal
  // (a script cut short by `timeout` or Ctrl-C would otherwise leave it running).
  const kill = (): void => void child.kill();
  const onSignal = (signal: NodeJS.Signals): void => {
    kill();
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  };
  process.once('exit', kill);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stop = (): void => {
    kill();
    process.off('exit', kill);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const up = await fetch(url).then((r) => r.ok, () => false);
    if (up) return { url, stop };
    if (Date.now() > deadline) {
      stop();
      throw new Error(`${url} did not come up`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The end-to-end harness: serves the built playground (vite preview, with the
// COOP/COEP headers; or a plain static server without them), drives Debian's
// Chromium through playwright-core, and gives each test a fresh page that
// fails the test on any uncaught page error or console error (unless the
// test expects that console error). Each test saves a screenshot under
// e2e/screenshots.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { createServer as netServer } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(REPO, 'dist/playground');
export const SHOTS = join(REPO, 'e2e/screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** A free TCP port on localhost. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Run a command to completion, inheriting output; rejects on a non-zero exit. */
export function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: REPO, stdio: 'inherit' });
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `vite preview` on a free port (sends COOP/COEP). */
export async function startPreview(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const vite = join(REPO, 'node_modules/vite/bin/vite.js');
  const child: ChildProcess = spawn(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, 20_000);
  return { url, stop: () => void child.kill() };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.ttf': 'font/ttf',
};

/** A plain static server for dist/playground, without COOP/COEP (like simple static hosting). */
export async function startStatic(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path.endsWith('/') ? `${path}index.html` : path);
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/`, stop: () => void server.close() };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The console as a person sees it: the terminal's visible rows. */
export class Term {
  constructor(private readonly page: Page) {}

  async text(): Promise<string> {
    const t = await this.page.locator('.xterm-rows').innerText();
    return t.replace(/\u00a0/g, ' ');
  }

  /** Click into the terminal and type a line, Enter included. */
  async type(line: string): Promise<void> {
    await this.page.locator('[data-testid=terminal]').click();
    await this.page.keyboard.type(line, { delay: 5 });
    await this.page.keyboard.press('Enter');
  }

  async waitFor(pattern: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = (await this.text()).match(pattern);
      if (m !== null) return m;
      if (Date.now() > deadline) throw new Error(`terminal never showed ${pattern}; it shows:\n${await this.text()}`);
      await this.page.waitForTimeout(50);
    }
  }
}

export interface TestContext {
  page: Page;
  url: string;
  term: Term;
  /** Save a screenshot as e2e/screenshots/<name>.png. */
  shot(name: string): Promise<void>;
}

export interface TestCase {
  name: string;
  /** Which server: the preview server (default) or plain static hosting. */
  server?: 'preview' | 'static';
  /** Block service workers in this test's browser context. */
  blockServiceWorkers?: boolean;
  /** Console errors this test causes on purpose (e.g. the browser logging a 404 the test arranged). */
  expectedConsoleErrors?: RegExp;
  run(t: TestContext): Promise<void>;
}

export function expect(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Run one test in a fresh context; page errors and console errors fail it. */
export async function runTest(browser: Browser, url: string, test: TestCase, slug: string): Promise<void> {
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
    serviceWorkers: test.blockServiceWorkers === true ? 'block' : 'allow',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && test.expectedConsoleErrors?.test(m.text()) !== true) problems.push(`console error: ${m.text()}`);
  });
  await mkdir(SHOTS, { recursive: true });
  const ctx: TestContext = {
    page, url, term: new Term(page),
    shot: async (name) => void (await page.screenshot({ path: join(SHOTS, `${name}.png`) })),
  };
  try {
    await test.run(ctx);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  } catch (e) {
    await ctx.shot(slug).catch(() => undefined);
    if (problems.length > 0 && !(e as Error).message.includes(problems[0] ?? '')) (e as Error).message += `\n${problems.join('\n')}`;
    throw e;
  } finally {
    await context.close();
  }
}

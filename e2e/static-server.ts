// A plain static file server for the built playground (dist/playground), as
// simple static hosting would serve it: no COOP/COEP headers, so the page is
// cross-origin isolated only through its own service worker. Playwright Test
// starts it as a web server (playwright.config.ts) for e2e/static-hosting.spec.ts.
// `tsx e2e/static-server.ts PORT`

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/playground', import.meta.url));
const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: tsx e2e/static-server.ts PORT');
  process.exit(2);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.ttf': 'font/ttf',
};

createServer((req, res) => {
  // Strip any leading "../" so that a request can never leave dist/playground.
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
}).listen(port, '127.0.0.1');

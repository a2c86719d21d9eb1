// A plain static file server for the built playground (dist/playground), as
// simple static hosting would serve it: no COOP/COEP headers, so the page is
// cross-origin isolated only through its own service worker. Playwright Test
// starts it as a web server (playwright.config.ts) for e2e/static-hosting.spec.ts.
// It also serves a course page of "another site" that frames the playground
// (e2e/embed.spec.ts), or holds an embed snippet as a teacher pastes it
// (e2e/share.spec.ts).
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

/**
 * A course page of another site (this server's origin) that embeds the playground in a frame, as a teacher's
 * page in an LMS would: `/course.html?frame=URL`, with no isolation headers of its own. Only a page on this
 * machine may be framed.
 */
function coursePage(frame: string | null): string | undefined {
  if (frame === null || !/^http:\/\/(127\.0\.0\.1|localhost):\d+\//.test(frame)) return undefined;
  const src = frame.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Operating systems, week 3: IPC</title></head>
<body style="font-family: sans-serif; margin: 16px"><h1>Week 3: message passing</h1>
<p>Type <code>ping 3</code> in the terminal below and step through the trace.</p>
<iframe src="${src}" title="ONCRIX playground" width="1400" height="860" style="border: 1px solid #888"></iframe>
</body></html>`;
}

/**
 * The same course page with an embed snippet pasted into it as it came from the Embed dialog:
 * `/course.html?snippet=HTML`. Only one `<iframe>` of a page on this machine is taken.
 */
function snippetPage(snippet: string): string | undefined {
  if (!/^<iframe src="http:\/\/(127\.0\.0\.1|localhost):\d+\/[^"<>]*"[^<>]*><\/iframe>$/.test(snippet)) return undefined;
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Operating systems, week 3: IPC</title></head>
<body style="font-family: sans-serif; margin: 16px; background: #f4f1ea"><h1>Week 3: message passing</h1>
<p>Step through the call below: who sends, who waits, and when the reply comes back.</p>
${snippet}
<p>Then answer the questions on the next page.</p>
</body></html>`;
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/course.html') {
    const snippet = url.searchParams.get('snippet');
    const body = snippet !== null ? snippetPage(snippet) : coursePage(url.searchParams.get('frame'));
    res.writeHead(body === undefined ? 400 : 200, { 'Content-Type': 'text/html' });
    res.end(body ?? 'course.html?frame=URL frames a page on this machine only');
    return;
  }
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

// A small Vite plugin that ships the prebuilt bare-metal image with the
// playground, for its "Export bootable image" button: the page fetches
// `oncrix.img` next to index.html (the i386 image, dist/oncrix-i386.img), re-targets it with the current boot
// manifest and start-up script, and downloads it.
//
// The idea: the image is a build output of its own (`npm run image` writes it;
// it needs wasm2c and gcc), so the playground only copies
// it. The production build emits it as an asset named exactly `oncrix.img`;
// the dev server serves it straight from disk on each request (so an image
// built while `npm start` runs is picked up). When the file does not exist
// the build still succeeds (with a warning) and the dev server answers 404 —
// never index.html — and the page's button then explains how to get it.

import { existsSync, readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/** The name the page fetches (relative to the page) and the build emits. */
export const IMAGE_FILE = 'oncrix.img';

export function oncrixImage(imagePath: string): Plugin {
  return {
    name: 'oncrix-image',
    configureServer(server) {
      server.middlewares.use(`/${IMAGE_FILE}`, (req, res, next) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') return next();
        if (!existsSync(imagePath)) {
          res.statusCode = 404;
          res.setHeader('Content-Type', 'text/plain');
          res.end(`${IMAGE_FILE} not built: run \`npm run image\`\n`);
          return;
        }
        const body = readFileSync(imagePath);
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(body.length));
        res.setHeader('Cache-Control', 'no-store');
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    },
    generateBundle() {
      if (!existsSync(imagePath)) {
        this.warn(`${imagePath} does not exist: the playground is built without it, and its export button says how to get it ` +
          '(`npm run image`, then build the playground again)');
        return;
      }
      this.emitFile({ type: 'asset', fileName: IMAGE_FILE, source: readFileSync(imagePath) });
    },
  };
}

// A small Vite plugin that ships the prebuilt bare-metal images with the
// playground, for its "Export bootable image" button: the page fetches
// `oncrix-<arch>.img` (x86_64, i386, aarch64, riscv64) next to index.html,
// re-targets the chosen one with the current boot manifest and start-up
// script, and downloads it.
//
// The idea: the images are build outputs of their own (`npm run image` writes
// dist/oncrix-<arch>.img; they need wasm2c and a gcc per architecture), so
// the playground only copies them. The production build emits each image
// that exists as an asset of the same name; the dev server serves them
// straight from disk on each request (so an image built while `npm start`
// runs is picked up). When no image exists the build still succeeds
// (with a warning) and the dev server answers 404 — never
// index.html — and the page's button then explains how to get it.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * The names the page fetches (relative to the page) and the build emits:
 * oncrix-<arch>.img, as `imageFile` in @oncrix/boot names them. (Matched by
 * pattern: Vite loads this file with its config, where the workspace's
 * TypeScript packages cannot be imported.)
 */
const IMAGE_NAME = /^oncrix-[a-z0-9_]+\.img$/;

/** The images `npm run image` has written to distDir. */
function builtImages(distDir: string): string[] {
  return existsSync(distDir) ? readdirSync(distDir).filter((f) => IMAGE_NAME.test(f)).sort() : [];
}

export function oncrixImages(distDir: string): Plugin {
  return {
    name: 'oncrix-images',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = (req.url ?? '').split('?')[0]?.replace(/^.*\//, '') ?? '';
        if ((req.method !== 'GET' && req.method !== 'HEAD') || !IMAGE_NAME.test(name)) return next();
        const path = join(distDir, name);
        if (!existsSync(path)) {
          res.statusCode = 404;
          res.setHeader('Content-Type', 'text/plain');
          res.end(`${name} not built: run \`npm run image\`\n`);
          return;
        }
        const body = readFileSync(path);
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(body.length));
        res.setHeader('Cache-Control', 'no-store');
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    },
    generateBundle() {
      const images = builtImages(distDir);
      if (images.length === 0) {
        this.warn(`no oncrix-<arch>.img in ${distDir}: the playground is built without bootable images, ` +
          'and its export button says how to get one (`npm run image`, then build the playground again)');
      }
      for (const name of images) this.emitFile({ type: 'asset', fileName: name, source: readFileSync(join(distDir, name)) });
    },
  };
}

// comlink ships its Node adapter as dist/esm/node-adapter.mjs, with the types
// beside it in node-adapter.d.ts, which TypeScript does not pair with an .mjs
// file. This tells it they belong together.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}

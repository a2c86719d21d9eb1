// Types for what Vite adds to modules: import.meta.glob, asset `?url` and
// `?raw` imports, `?worker` constructors.
/// <reference types="vite/client" />

// Runs a local copy of the public WASI preview 1 test suite
// (github.com/WebAssembly/wasi-testsuite, the prebuilt tests of its
// prod/testsuite-base branch; fetched by whoever runs this, never committed)
// against a runtime, and counts passes: `node` (Node's own node:wasi, the
// reference) or `oncrix` (`oncrix run`, every call through the ONCRIX kernel).
//
//   node scripts/wasi-conformance.mjs --suite DIR [--runtime node|oncrix] [--filter WORD] [--verbose]
//
// DIR holds the suite's tests/*/testsuite/wasm32-wasip1 folders. Each test is
// a .wasm with an optional .json spec (args, env, root = a folder to preopen
// as "/", exit_code, stdout, stderr); the root folder is copied for each test
// so that writes of one test never reach another. A test passes when the
// exit code and any expected output match, within 30 s.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const suite = opt('suite');
const runtime = opt('runtime', 'node');
const filter = opt('filter', '');
const verbose = argv.includes('--verbose');
if (suite === undefined || !existsSync(suite) || !['node', 'oncrix'].includes(runtime)) {
  console.error('usage: node scripts/wasi-conformance.mjs --suite DIR [--runtime node|oncrix] [--filter WORD] [--verbose]');
  process.exit(2);
}

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Every test .wasm under the suite's wasm32-wasip1 folders. */
function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.endsWith('.dir')) out.push(...findTests(path));
    else if (entry.name.endsWith('.wasm') && path.includes('wasm32-wasip1')) out.push(path);
  }
  return out.sort();
}

/** The test's spec with the suite's defaults (legacy form, or the run/wait/read operations). */
function specOf(wasm) {
  const file = wasm.replace(/\.wasm$/, '.json');
  const raw = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const spec = { args: [], env: {}, root: null, exit_code: 0, stdout: null, stderr: null };
  if (Array.isArray(raw.operations)) {
    for (const op of raw.operations) {
      if (op.type === 'run') Object.assign(spec, { args: op.args ?? [], env: op.env ?? {}, root: op.root ?? null });
      if (op.type === 'wait') spec.exit_code = op.exit_code ?? 0;
      if (op.type === 'read') spec[op.id ?? 'stdout'] = op.payload ?? '';
    }
  } else {
    Object.assign(spec, raw);
  }
  return spec;
}

/** The node:wasi reference, in a child process so that a trap ends only that test. */
const NODE_RUNNER = `
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
const [wasm, spec] = [process.argv[1], JSON.parse(process.argv[2])];
const wasi = new WASI({ version: 'preview1', args: [wasm, ...spec.args], env: spec.env,
  preopens: spec.root ? { '/': spec.root } : {}, returnOnExit: true });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasm)), { wasi_snapshot_preview1: wasi.wasiImport });
process.exitCode = wasi.start(instance);
`;

function run(wasm, spec, root) {
  if (runtime === 'node') {
    return spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', NODE_RUNNER, wasm, JSON.stringify({ ...spec, root })],
      { encoding: 'utf8', timeout: 30_000 });
  }
  const args = [join(repo, 'packages/cli/bin/oncrix.mjs'), 'run'];
  if (root !== null) args.push('--dir', `${root}::/`);
  for (const [k, v] of Object.entries(spec.env)) args.push('--env', `${k}=${v}`);
  args.push(wasm, ...spec.args);
  return spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
}

const tests = findTests(suite).filter((t) => t.includes(filter));
let passed = 0;
const failures = [];
for (const wasm of tests) {
  const spec = specOf(wasm);
  const work = mkdtempSync(join(tmpdir(), 'wasi-test-'));
  let root = null;
  if (spec.root !== null) {
    root = join(work, 'root');
    cpSync(join(dirname(wasm), spec.root), root, { recursive: true });
  }
  const r = run(wasm, spec, root);
  rmSync(work, { recursive: true, force: true });
  const why = [];
  if (r.error !== undefined) why.push(r.error.code === 'ETIMEDOUT' ? 'timed out' : r.error.message);
  else if (r.status !== spec.exit_code) why.push(`exit code ${r.status}, expected ${spec.exit_code}`);
  if (spec.stdout !== null && r.stdout !== spec.stdout) why.push(`stdout ${JSON.stringify(r.stdout.slice(0, 80))}, expected ${JSON.stringify(spec.stdout.slice(0, 80))}`);
  if (spec.stderr !== null && spec.stderr !== '' && r.stderr !== spec.stderr) why.push('stderr differs');
  const name = `${basename(dirname(dirname(dirname(wasm))))}/${basename(wasm, '.wasm')}`;
  if (why.length === 0) passed++;
  else failures.push(`${name}: ${why.join('; ')}${verbose ? `\n    stderr: ${(r.stderr ?? '').trim().split('\n').slice(-3).join('\n    ')}` : ''}`);
}
for (const f of failures) console.log(`  ✗ ${f}`);
console.log(`${runtime}: ${passed} of ${tests.length} WASI preview 1 tests passed`);

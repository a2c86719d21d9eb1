// `oncrix --script` as a child process, exactly as a user would start it:
// the console output, and when the first prompt showed. The Node section of
// the bench (run.ts) and the alternate rounds against another commit
// (against.ts, each tree's own CLI) both measure through it.

import { spawn } from 'node:child_process';

/** Run the CLI at `cli` on the script file `script`; its output and the ms from start to the first `$ `. */
export function runCliScript(cli: string, script: string): Promise<{ output: string; promptMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let promptMs = NaN;
    let output = '';
    const child = spawn(process.execPath, [cli, '--script', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (Number.isNaN(promptMs) && output.includes('$ ')) promptMs = performance.now() - t0;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ output, promptMs }) : reject(new Error(`${cli} exited with ${code}:\n${output}`))));
  });
}

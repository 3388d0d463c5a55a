import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs the real CLI entry point with its stdout closed by the reader before it writes (`… | head` that has read enough). */
function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'starter.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LPA_ENV_FILE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone: every write of the child fails with EPIPE
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a command piped into a reader that stops early', () => {
  it.each([[['mapping', 'template']], [['connector', '--help']]])('ends quietly with exit 0: %j', async (args) => {
    const r = await runWithClosedStdout(args);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|Error/);
    expect(r.code).toBe(0);
  });
});

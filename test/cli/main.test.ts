import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDb } from '../helpers/cli.js';

const bin = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

/**
 * Runs the real `vheat` launcher with a reader that has gone away, as `head -1` does once it has
 * its line. The read end is closed before vheat starts, so its first write fails with EPIPE
 * whatever the timing (a reader closing after the first chunk may find vheat already done).
 */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('vheat with a reader that goes away (vheat info | head -1)', () => {
  it('exits quietly with code 0 from a verb\'s output', async () => {
    expect(await runWithClosedStdout(['--db', tempDb(), 'info'])).toEqual({ code: 0, stderr: '' });
  });

  it('exits quietly with code 0 from the help commander prints', async () => {
    expect(await runWithClosedStdout(['--help'])).toEqual({ code: 0, stderr: '' });
  });
});

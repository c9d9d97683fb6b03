import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeGenerateCommand } from '../../src/cli/generate.js';
import { reportError } from '../../src/cli/handle-error.js';
import type { CliIo } from '../../src/cli/io.js';
import { makeProgram } from '../../src/cli/program.js';
import { ExitCode } from '../../src/errors.js';

/** Runs `vheat generate …` in-process (adding the command if the program does not have it yet). */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, isTTY: false };
  const program = makeProgram(io).exitOverride();
  if (!program.commands.some((c) => c.name() === 'generate')) program.addCommand(makeGenerateCommand(io));
  for (const c of program.commands) c.exitOverride();
  let code = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    code = reportError(e, io, { json: args.includes('--json') });
  }
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'vheat-cli-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vheat generate', () => {
  it('--list names the shipped scenarios, also as JSON', async () => {
    const text = await run('generate', '--list');
    expect(text.code).toBe(0);
    for (const n of ['demo-kvm', 'demo-xen', 'large', 'test-kvm', 'test-xen']) expect(text.stdout).toContain(n);
    const json = await run('generate', '--list', '--json');
    expect(JSON.parse(json.stdout).map((s: { name: string }) => s.name)).toEqual(['demo-kvm', 'demo-xen', 'large', 'test-kvm', 'test-xen']);
  });

  it('writes a bundle with --seed and --duration and reports it as JSON', async () => {
    const out = join(dir, 'kvm');
    const r = await run('generate', '--scenario', 'test-kvm', '--out', out, '--seed', '3', '--duration', '1.5s', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ scenario: 'test-kvm', seed: 3, durationSeconds: 1.5 });
    expect(existsSync(join(out, 'truth.json'))).toBe(true);
    // regenerating into the same folder replaces the earlier bundle
    expect((await run('generate', '--scenario', 'test-kvm', '--out', out, '--duration', '1s')).code).toBe(0);
  });

  it('rejects unknown scenarios, bad durations and missing options with coded errors', async () => {
    const unknown = await run('generate', '--scenario', 'test-kvn', '--out', join(dir, 'x'));
    expect(unknown.code).toBe(ExitCode.bundle);
    expect(unknown.stderr).toContain('generate.unknownScenario');
    expect(unknown.stderr).toContain('did you mean "test-kvm"');
    expect((await run('generate', '--scenario', 'test-kvm', '--out', join(dir, 'y'), '--duration', '2 weeks')).code).toBe(ExitCode.usage);
    const missing = await run('generate', '--scenario', 'test-kvm');
    expect(missing.code).toBe(ExitCode.usage);
    expect(missing.stderr).toContain('--out is required');
  });
});

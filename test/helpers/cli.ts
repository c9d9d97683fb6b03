import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { makeProgram } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `vheat <args>` in-process with captured output. */
export async function vheat(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, isTTY: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** Like `vheat`, but a failing command rejects with its error instead of printing it. */
export async function vheatOrThrow(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, isTTY: false };
  const program = makeProgram(io).exitOverride();
  for (const c of program.commands) c.exitOverride();
  await program.parseAsync(args, { from: 'user' });
  return { stdout, stderr };
}

/** A fresh store path in a temp folder. */
export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'vheat-cli-')), 'store.duckdb');
}

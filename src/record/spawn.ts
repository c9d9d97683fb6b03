import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** How a recorder process ended; `stderr` keeps its last few KiB. */
export interface ProcessExit {
  code: number | null;
  signal: string | null;
  stderr: string;
}

/** A running recorder. */
export interface RecorderProcess {
  kill(signal: 'SIGINT' | 'SIGKILL'): void;
  readonly exited: Promise<ProcessExit>;
}

/** Starts `argv` (no shell), its stdout into `stdoutFile` when given, else discarded. */
export type SpawnRecorder = (argv: readonly string[], stdoutFile: string | undefined) => RecorderProcess;

const stderrKeep = 4096;

/** Real processes, via node:child_process. A command that cannot start exits with code null. */
export const nodeSpawn: SpawnRecorder = (argv, stdoutFile) => {
  const fd = stdoutFile === undefined ? undefined : openSync(stdoutFile, 'w');
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', fd ?? 'ignore', 'pipe'] });
  if (fd !== undefined) closeSync(fd);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrKeep);
  });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (e) => resolve({ code: null, signal: null, stderr: `${stderr}${e.message}` }));
    child.once('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { kill: (signal) => void child.kill(signal), exited };
};

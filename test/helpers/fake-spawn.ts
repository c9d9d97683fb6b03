import { writeFileSync } from 'node:fs';
import type { ProcessExit, RecorderProcess, SpawnRecorder } from '../../src/record/spawn.js';

/** What a fake recorder does: write its file, then exit (or hang until a signal). */
export interface FakeBehaviour {
  /** Contents of the file it writes (its `-o`/`--out` path or last argument, else its stdout file). */
  writes?: string;
  code?: number;
  stderr?: string;
  /** Runs until signalled; it then exits as killed by that signal. */
  hang?: boolean;
}

export interface FakeCall {
  argv: readonly string[];
  stdoutFile: string | undefined;
  signals: string[];
}

/** The file a recorder command writes: stdout, or the argument after `-o`/`--out`, or xentrace's last argument. */
function outputOf(argv: readonly string[], stdoutFile: string | undefined): string | undefined {
  if (stdoutFile !== undefined) return stdoutFile;
  const at = argv.findIndex((a) => a === '-o' || a === '--out');
  if (at >= 0) return argv[at + 1];
  return argv[0]?.endsWith('xentrace') ? argv.at(-1) : undefined;
}

/** A process starter that runs nothing: `behave` decides per command; every call is recorded. */
export function fakeSpawn(behave: (argv: readonly string[]) => FakeBehaviour): { spawn: SpawnRecorder; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const spawn: SpawnRecorder = (argv, stdoutFile) => {
    const b = behave(argv);
    const call: FakeCall = { argv, stdoutFile, signals: [] };
    calls.push(call);
    const file = outputOf(argv, stdoutFile);
    if (b.writes !== undefined && file !== undefined) writeFileSync(file, b.writes);
    let finish: (exit: ProcessExit) => void = () => undefined;
    const exited = new Promise<ProcessExit>((resolve) => { finish = resolve; });
    if (!b.hang) setImmediate(() => finish({ code: b.code ?? 0, signal: null, stderr: b.stderr ?? '' }));
    const proc: RecorderProcess = {
      kill(signal) {
        call.signals.push(signal);
        finish({ code: null, signal, stderr: b.stderr ?? '' });
      },
      exited,
    };
    return proc;
  };
  return { spawn, calls };
}

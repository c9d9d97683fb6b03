import { exitProcess, exitWhenReaderGoes, reportError } from './handle-error.js';
import { processIo, type CliIo } from './io.js';
import { makeProgram } from './program.js';

/** Runs the CLI on `argv` (without `node vheat`) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = makeProgram(io).exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, io, { debug: argv.includes('--debug'), json: argv.includes('--json') });
  }
}

/** The `vheat` command (see bin.mjs): runs the CLI on the process arguments and exits with its code. */
export async function main(): Promise<void> {
  exitWhenReaderGoes();
  const code = await runCli(process.argv.slice(2));
  if (code !== 0) exitProcess(code);
}

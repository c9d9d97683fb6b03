import { CommanderError } from 'commander';
import { ExitCode, VheatError } from '../errors.js';
import type { CliIo } from './io.js';

function describeCause(cause: unknown, depth = 0): string[] {
  if (!cause || depth > 4) return [];
  const message = cause instanceof Error ? cause.message : String(cause);
  return [`  caused by: ${message}`, ...describeCause(cause instanceof Error ? cause.cause : undefined, depth + 1)];
}

/**
 * Prints an error the way users should see it — message with file and line, expected vs found,
 * hint — and returns the exit code. A stack trace only with `--debug`; with `--json` the
 * error is also printed as JSON on stdout so scripts can read it.
 */
export function reportError(error: unknown, io: CliIo, options: { debug?: boolean; json?: boolean } = {}): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : ExitCode.usage;
  if (error instanceof VheatError) {
    const { expected, found, sql } = error.context;
    const lines = [`vheat: error[${error.code}]: ${error.located}`];
    if (expected !== undefined) lines.push(`  expected: ${expected}`);
    if (found !== undefined) lines.push(`  found:    ${found}`);
    if (error.hint) lines.push(`  hint: ${error.hint}`);
    if (options.debug) {
      if (sql) lines.push(`  sql: ${sql}`);
      lines.push(...describeCause(error.cause), error.stack ?? '');
    }
    io.err(`${lines.join('\n')}\n`);
    if (options.json) {
      io.out(`${JSON.stringify({ error: { code: error.code, message: error.message, ...error.context, hint: error.hint } }, null, 2)}\n`);
    }
    return error.exitCode;
  }
  const e = error as Error;
  io.err(`vheat: internal error: ${e?.message ?? String(error)}\n`);
  io.err(options.debug ? `${e?.stack ?? ''}\n` : '  (run with --debug for the stack trace; this is a bug, please report it)\n');
  return ExitCode.internal;
}

/** The only place vheat exits the process. */
export function exitProcess(code: number): never {
  process.exit(code);
}

/**
 * Makes a reader that went away (`vheat info | head -1`) end vheat quietly with exit code 0, as
 * `git log | head` does: the next write to stdout fails with EPIPE, which would otherwise be an
 * unhandled stream error with a stack trace. Other stream errors stay fatal. Installed once by the
 * CLI entry (`main`), never by library code.
 */
export function exitWhenReaderGoes(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') exitProcess(ExitCode.ok);
    throw error;
  });
}

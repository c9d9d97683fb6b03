/** Where a command writes; injected so tests capture output instead of printing it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  isTTY: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Global options every command sees (`--db`, `--memory-limit`, `--json`, `--quiet`, `--debug`). */
export interface GlobalOptions {
  db: string;
  /** DuckDB's memory limit (e.g. '256MB'), which also caps its cache of blocks read; default DuckDB's 80 % of RAM. */
  memoryLimit?: string;
  json: boolean;
  quiet: boolean;
  debug: boolean;
}

/** Prints `value` as JSON (stable two-space layout) followed by a newline. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

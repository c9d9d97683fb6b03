/**
 * Typed errors. Every failure a user can cause is a `VheatError` with a stable `code`, the
 * process `exitCode` the CLI uses, where it happened (`context`) and what to do (`hint`).
 * Only `cli/handle-error.ts` turns them into output and an exit.
 */

/** Exit codes of the `vheat` CLI (documented in README). */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  parse: 3,
  store: 4,
  bundle: 5,
  model: 6,
  policy: 7,
} as const;

export interface ErrorContext {
  /** File the problem is in. */
  file?: string;
  /** 1-based line number (or record number for binary files). */
  line?: number;
  /** Byte offset, for binary formats. */
  offset?: number;
  /** What the parser expected to see. */
  expected?: string;
  /** What it found instead (shortened). */
  found?: string;
  /** The SQL of a failing store query. */
  sql?: string;
}

export interface VheatErrorOptions {
  context?: ErrorContext;
  hint?: string;
  cause?: unknown;
}

export class VheatError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly context: ErrorContext;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: VheatErrorOptions = {}, exitCode: number = ExitCode.internal) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.context = options.context ?? {};
    this.hint = options.hint;
  }

  /** `file:line: message`, the way compilers print located errors. */
  get located(): string {
    const { file, line, offset } = this.context;
    if (!file) return this.message;
    if (line !== undefined) return `${file}:${line}: ${this.message}`;
    if (offset !== undefined) return `${file}@${offset}: ${this.message}`;
    return `${file}: ${this.message}`;
  }
}

/** A trace file that does not follow its format. */
export class TraceParseError extends VheatError {
  constructor(code: string, message: string, options: VheatErrorOptions = {}) {
    super(code, message, options, ExitCode.parse);
  }
}

/** A recording bundle (folder, bundle.json) that cannot be used as given. */
export class BundleError extends VheatError {
  constructor(code: string, message: string, options: VheatErrorOptions = {}) {
    super(code, message, options, ExitCode.bundle);
  }
}

/** A failing store operation; `context.sql` holds the query. */
export class StoreError extends VheatError {
  constructor(code: string, message: string, options: VheatErrorOptions = {}) {
    super(code, message, options, ExitCode.store);
  }
}

/** An energy model file or fit that cannot be used. */
export class ModelError extends VheatError {
  constructor(code: string, message: string, options: VheatErrorOptions = {}) {
    super(code, message, options, ExitCode.model);
  }
}

/** A policy that cannot be loaded or that returned an impossible action. */
export class PolicyError extends VheatError {
  constructor(code: string, message: string, options: VheatErrorOptions = {}) {
    super(code, message, options, ExitCode.policy);
  }
}

/** Bad command-line usage that commander itself cannot catch. */
export class UsageError extends VheatError {
  constructor(code: string, message: string, options: VheatErrorOptions = {}) {
    super(code, message, options, ExitCode.usage);
  }
}

/** Shortens an offending line for messages. */
export function excerpt(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

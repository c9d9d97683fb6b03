/**
 * Contracts between the ingest driver and the format parsers.
 *
 * A parser is push-based and synchronous: the driver streams the file and calls `line()` (text
 * formats) or `bytes()` (binary formats), then `end()`. Parsers write rows into a `TraceSink`,
 * which buffers columns and appends them to the store in chunks, so memory stays bounded
 * whatever the file size. Parsers never touch the store.
 */

/** Scope of a counter sample (DESIGN.md `samples.scope`). */
export type SampleScope = 'cpu' | 'core' | 'die' | 'socket' | 'node' | 'vm' | 'vcpu' | 'thread' | 'cgroup' | 'host';

/** RAPL domain (DESIGN.md `energy.domain`). */
export type EnergyDomain = 'package' | 'core' | 'uncore' | 'dram' | 'psys' | 'gpu';

/** Scope of a temperature reading. */
export type TempScope = 'cpu' | 'core' | 'socket' | 'host';

/** Where parsed rows go. All times are seconds from the trace start. */
export interface TraceSink {
  /**
   * One counter delta over [t0, t1] s. `value` is already multiplex-scaled, or null when the
   * counter was not counted/supported; `enabled` is the fraction of the interval it ran (0..1).
   */
  sample(t0: number, t1: number, scope: SampleScope, entity: string, cpu: number | null,
    event: string, value: number | null, enabled: number | null): void;
  /** Energy in joules of one domain over [t0, t1] s; `socket` null when the source aggregates sockets. */
  energy(t0: number, t1: number, socket: number | null, domain: EnergyDomain, joules: number): void;
  /** One temperature reading (°C) at t s. */
  temp(t: number, scope: TempScope, entity: string, celsius: number): void;
  /** vCPU `vcpu` of `vm` ran on pCPU `pcpu` during [t0, t1] s. */
  residency(vm: string, vcpu: number, pcpu: number, t0: number, t1: number): void;
  /** I/O done for `vm` during [t0, t1] s: `ops` operations and `bytes` bytes of `kind`. */
  io(vm: string, t0: number, t1: number, kind: string, ops: number | null, bytes: number | null): void;
  /** Trace-level facts found in the file (absolute start, host, locale, layout…). */
  meta(facts: Partial<TraceFacts>): void;
  /** A non-fatal problem worth telling the user (deduplicated and counted by the driver). */
  warn(message: string, line?: number): void;
  /** A line that matches no production of the format (counted, not fatal). */
  skip(line: number): void;
}

/** Trace-level facts a parser may discover. */
export interface TraceFacts {
  /** Absolute start of the trace, Unix epoch seconds. */
  startEpochSeconds: number;
  host: string;
  hypervisor: 'xen' | 'kvm' | 'none';
  /** Free-form details kept in `traces.meta` (JSON): layout, locale, separator, units… */
  details: Record<string, unknown>;
}

/** Host topology, from bundle.json; parsers use it to map CPUs to sockets. */
export interface Topology {
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  /** Explicit cpu → socket map when CPU numbering is not socket-major. */
  cpuSocket?: readonly number[];
}

/** Options a parser may use; all optional. */
export interface ParseOptions {
  topology?: Topology;
  /** Host TSC frequency in Hz (xentrace). */
  tscHz?: number;
  /** Counter range in µJ when the file does not say it (powercap/Prometheus wrap handling). */
  energyRangeMicrojoules?: number;
  /** Upper bound on plausible power in watts; intervals above it are dropped as resets. */
  maxPlausibleWatts?: number;
  /** Sampling interval in seconds, for formats without timestamps (turbostat, xentop). */
  intervalSeconds?: number;
  /** Extra per-format settings from bundle.json `files[name]`. */
  extra?: Record<string, unknown>;
}

export interface ParseContext {
  /** File path, for error messages. */
  file: string;
  sink: TraceSink;
  options: ParseOptions;
}

export interface LineParser {
  /** Called once per line, without its line terminator; `lineNo` is 1-based. */
  line(text: string, lineNo: number): void;
  /** Called after the last line; flushes pending state and throws if the file held nothing usable. */
  end(): void;
}

export interface ByteParser {
  /** Called with consecutive chunks of the file. */
  bytes(chunk: Uint8Array): void;
  end(): void;
}

/** What `sniff` gets to look at: the start of the file only. */
export interface SniffInput {
  fileName: string;
  /** Up to the first 64 KiB. */
  head: Uint8Array;
  /** The first non-empty lines of the head (up to 64), decoded as UTF-8. */
  lines: readonly string[];
}

/** One input format vheat can read. */
export interface FormatSpec {
  /** Stable name used by `--format` and stored in `traces.format`, e.g. `perf-stat-csv`. */
  name: string;
  /** One line for `vheat ingest --help`. */
  description: string;
  input: 'lines' | 'bytes';
  /**
   * Confidence that the head is this format: 0 = no, 1 = weak, 2 = typical, 3 = certain
   * (a magic number or signature line). The highest score wins.
   */
  sniff(input: SniffInput): number;
  create(ctx: ParseContext): LineParser | ByteParser;
}

/**
 * What a `perf stat` aggregation id means for the store (TRACE-FORMATS §1.2.1, §1.5, §1.6), and
 * which RAPL domain a `power…/energy-<domain>/` event measures (§1.2.4). Shared by the CSV, JSON and
 * human-readable perf stat parsers.
 *
 * | id text                         | scope          | entity              | cpu | socket          |
 * |---------------------------------|----------------|---------------------|-----|-----------------|
 * | (global mode, no id)            | `host`         | `host`              | –   | –               |
 * | `CPU<n>` (`-A`)                 | `cpu`          | `CPU<n>`            | n   | from topology   |
 * | `S<s>-D<d>-C<c>`, old `S<s>-C<c>` | `core`       | verbatim            | –   | s               |
 * | `S<s>-D<d>-CLS<c>` (cluster)    | `core`         | verbatim            | –   | s               |
 * | `S<s>-D<d>-L<l>-ID<i>` (cache)  | `core`         | verbatim            | –   | s               |
 * | `S<s>-D<d>`                     | `die`          | verbatim            | –   | s               |
 * | `S<s>`                          | `socket`       | `S<s>`              | –   | s               |
 * | `N<n>`                          | `node`         | `N<n>`              | –   | – (node ≠ socket) |
 * | `<comm>-<tid>` (`--per-thread`) | `vcpu` if comm is `CPU <n>/<ACCEL>`, else `thread` | verbatim | – | – |
 * | any of the above + cgroup `G`   | `cgroup`       | G verbatim          | kept | kept           |
 *
 * Cluster and cache ids have no scope of their own in the store; they are stored as `core`-like
 * groups of CPUs and keep their `CLS`/`L<l>-ID<i>` text in `entity`, so they never merge with
 * real cores.
 */
import type { EnergyDomain, SampleScope, Topology } from './types.js';

/** The store coordinates of one aggregation id. Cached per parser: one instance per distinct id text. */
export interface AggregationId {
  readonly scope: SampleScope;
  /** Verbatim id text (`CPU3`, `S0-D0-C1`, `CPU 0/KVM-4187`, cgroup path), or `host` in global mode. */
  readonly entity: string;
  /** CPU number of a `CPU<n>` id (also kept for `-A -G` cgroup rows), else null. */
  readonly cpu: number | null;
  /** Socket the id lies in, when the id or the topology says so; else null. */
  readonly socket: number | null;
}

/** The id of global-mode rows (no aggregation column). */
export const HOST_ID: AggregationId = Object.freeze({ scope: 'host', entity: 'host', cpu: null, socket: null });

const VCPU_COMM = /^CPU \d+\/\w+$/;

/** Reads decimal digits of `s` from `i`; returns [value, end] or [-1, i] when there are none. */
function digitsAt(s: string, i: number): [number, number] {
  let v = 0;
  let j = i;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  return j === i ? [-1, i] : [v, j];
}

/**
 * Socket of CPU `cpu` (socket-major numbering: `cores × threads` CPUs per socket, unless the
 * topology gives `cpuSocket`). Without a topology only CPU 0 is known (socket 0); else null.
 */
export function socketOfCpu(cpu: number, topology: Topology | undefined): number | null {
  if (!topology) return cpu === 0 ? 0 : null;
  if (topology.cpuSocket) return topology.cpuSocket[cpu] ?? null;
  const perSocket = topology.coresPerSocket * topology.threadsPerCore;
  if (!(perSocket > 0)) return null;
  const socket = Math.floor(cpu / perSocket);
  return socket < topology.sockets ? socket : null;
}

/**
 * Parses a CPU or topology id (`CPU<n>`, `S<s>[-D<d>][-C<c>|-CLS<c>|-L<l>-ID<i>]`, `N<n>`);
 * null for anything else. `entity` is the text itself.
 */
export function parseTopologyId(text: string, topology: Topology | undefined): AggregationId | null {
  if (text.startsWith('CPU')) {
    const [cpu, end] = digitsAt(text, 3);
    if (cpu < 0 || end !== text.length) return null;
    return { scope: 'cpu', entity: text, cpu, socket: socketOfCpu(cpu, topology) };
  }
  if (text.startsWith('N')) {
    const [node, end] = digitsAt(text, 1);
    return node < 0 || end !== text.length ? null : { scope: 'node', entity: text, cpu: null, socket: null };
  }
  if (!text.startsWith('S')) return null;
  const [socket, afterS] = digitsAt(text, 1);
  if (socket < 0) return null;
  let i = afterS;
  let scope: SampleScope = 'socket';
  if (text.startsWith('-D', i)) {
    const [die, end] = digitsAt(text, i + 2);
    if (die < 0) return null;
    i = end;
    scope = 'die';
  }
  // Core, cluster and cache ids (in that order: `-CLS` also starts with `-C`).
  const tail = text.startsWith('-CLS', i) ? i + 4 : text.startsWith('-C', i) ? i + 2 : -1;
  if (tail >= 0) {
    const [, end] = digitsAt(text, tail);
    if (end === tail) return null;
    i = end;
    scope = 'core';
  } else if (text.startsWith('-L', i)) {
    const [, lEnd] = digitsAt(text, i + 2);
    if (lEnd === i + 2 || !text.startsWith('-ID', lEnd)) return null;
    const [, end] = digitsAt(text, lEnd + 3);
    if (end === lEnd + 3) return null;
    i = end;
    scope = 'core';
  }
  return i === text.length ? { scope, entity: text, cpu: null, socket } : null;
}

/**
 * Parses a `--per-thread` id `<comm>-<tid>` (split at the last `-`: comms may contain `-`, `/`,
 * spaces); null when there is no numeric tid. qemu vCPU threads (`CPU <n>/KVM`) get scope `vcpu`.
 */
export function parseThreadId(text: string): AggregationId | null {
  const dash = text.lastIndexOf('-');
  if (dash <= 0) return null;
  const [, end] = digitsAt(text, dash + 1);
  if (end === dash + 1 || end !== text.length) return null;
  const scope: SampleScope = VCPU_COMM.test(text.slice(0, dash)) ? 'vcpu' : 'thread';
  return { scope, entity: text, cpu: null, socket: null };
}

/**
 * Per-parser cache of parsed ids, so each distinct id text is parsed once and every row of it
 * hands the sink the same entity string instance.
 */
export class AggregationIds {
  private readonly byText = new Map<string, AggregationId | null>();
  // Separate from `byText`: one text can fail as a topology id and still be a valid thread id.
  private readonly threads = new Map<string, AggregationId | null>();
  private readonly cgroups = new Map<AggregationId, Map<string, AggregationId>>();

  constructor(private readonly topology: Topology | undefined) {}

  /** A CPU or topology id (see `parseTopologyId`), or null. */
  topo(text: string): AggregationId | null {
    let id = this.byText.get(text);
    if (id === undefined) {
      id = parseTopologyId(text, this.topology);
      this.byText.set(text, id);
    }
    return id;
  }

  /** A `--per-thread` id (see `parseThreadId`), or null. */
  thread(text: string): AggregationId | null {
    let id = this.threads.get(text);
    if (id === undefined) {
      id = parseThreadId(text);
      this.threads.set(text, id);
    }
    return id;
  }

  /** Rows of cgroup `path` measured under `base`: scope `cgroup`, entity = path; `base` when path is empty. */
  cgroup(base: AggregationId, path: string): AggregationId {
    if (path === '') return base;
    let inner = this.cgroups.get(base);
    if (!inner) this.cgroups.set(base, (inner = new Map()));
    let id = inner.get(path);
    if (!id) {
      id = { scope: 'cgroup', entity: path, cpu: base.cpu, socket: base.socket };
      inner.set(path, id);
    }
    return id;
  }
}

const RAPL_EVENT = /^power[\w-]*\/energy-([\w-]+)\/$/;
const RAPL_DOMAINS: Readonly<Record<string, EnergyDomain>> = {
  pkg: 'package', cores: 'core', core: 'core', ram: 'dram', psys: 'psys', gpu: 'gpu', uncore: 'uncore',
};

/** One distinct event name of a file, parsed once. */
export interface PerfEvent {
  /** The event name as perf printed it (one shared instance per name). */
  readonly name: string;
  /** True for any `power…/energy-<domain>/` RAPL event. */
  readonly rapl: boolean;
  /** Energy domain of a RAPL event (`energy-pkg` → `package`, …); null for other or unknown domains. */
  readonly domain: EnergyDomain | null;
}

/** Classifies an event name (RAPL domain or not). */
export function perfEvent(name: string): PerfEvent {
  const m = RAPL_EVENT.exec(name);
  return { name, rapl: m !== null, domain: m ? RAPL_DOMAINS[m[1]!] ?? null : null };
}

/** Per-parser cache of `perfEvent` results keyed by event name. */
export class PerfEvents {
  private readonly byName = new Map<string, PerfEvent>();

  get(name: string): PerfEvent {
    let ev = this.byName.get(name);
    if (!ev) {
      ev = perfEvent(name);
      this.byName.set(name, ev);
    }
    return ev;
  }
}

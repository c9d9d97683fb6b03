import { TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { counterIncrement, defaultMaxPlausibleWatts } from './energy-counter.js';
import { domainOfZoneName, isMmioZone, powercapTopIndex } from './rapl-zones.js';
import type { EnergyDomain, ParseContext, ParseOptions, SampleScope } from './types.js';

/** Where the readings of one Prometheus counter go in the store. */
export type SeriesTarget =
  | { kind: 'energy'; label: string; socket: number | null; domain: EnergyDomain; rangeJoules: number | undefined }
  | { kind: 'sample'; label: string; scope: SampleScope; entity: string; event: string };

/** A counter vheat stores, keyed so that readings to be summed share the key. */
export interface ClassifiedSeries {
  key: string;
  target: SeriesTarget;
}

const keplerScopes: Record<string, SampleScope> = { node: 'host', container: 'cgroup', pod: 'cgroup', vm: 'vm', process: 'thread' };

/** Kepler's per-workload hardware counters under perf's event names, so they line up with perf input. */
const keplerHardware: Record<string, string> = {
  cpu_cycles: 'cycles', cpu_ref_cycles: 'ref-cycles', cpu_instructions: 'instructions', cache_miss: 'cache-misses',
};

/** Labels that qualify a Kepler event name (`kepler:package_joules:dynamic`), in this order. */
const qualifiers = ['zone', 'path', 'package', 'index', 'mode'];

/**
 * Maps a Prometheus counter to the store (TRACE-FORMATS.md §6.1); `'mmio'` for the MMIO copy of
 * a package zone (never summed with it), undefined for series vheat does not keep (gauges,
 * other exporters).
 *
 * - node_exporter `node_rapl_<zone>_joules_total` → energy; socket from `path` (`intel-rapl:<p>`,
 *   else `index`), psys none; wraps per §3.3 with `energyRangeMicrojoules` when given.
 * - Kepler node RAPL `kepler_node_{package,core,uncore,dram}_joules_total` (≤0.7, socket from
 *   `package`) and `kepler_node_cpu_joules_total{zone,path}` (≥0.10) → energy. Kepler ≤0.7 splits
 *   each into `mode="dynamic"` and `"idle"`; the modes share a key and are summed, which gives
 *   back the RAPL reading.
 * - every other Kepler counter `kepler_<node|container|pod|vm|process>_<what>_total` → samples
 *   (except memory levels Kepler ≤0.7 misnames `…memory…_total`, which are not counters):
 *   scope host / cgroup / cgroup / vm / thread, entity `container_id` (else `container_name`),
 *   `pod_id`/`pod_name`, `vm_id`/`vm_name`, `<comm>-<pid>`, or the node name. cpu_cycles,
 *   cpu_ref_cycles, cpu_instructions, cache_miss become `cycles`, `ref-cycles`, `instructions`,
 *   `cache-misses`; all else (joules included: Kepler's per-workload joules are model
 *   attributions, never RAPL) becomes `kepler:<what>` plus `:<value>` of zone, path basename,
 *   package, index and mode where present.
 */
export function classifySeries(name: string, labels: Record<string, string>, options: ParseOptions): ClassifiedSeries | 'mmio' | undefined {
  // Kepler ≤0.7 names some memory levels `_total`; a level is no counter
  if (!name.endsWith('_total') || name.includes('memory')) return undefined;
  const rapl = /^node_rapl_(\w+?)_joules_total$/.exec(name);
  if (rapl) {
    const path = labels['path'] ?? '';
    const domain = domainOfZoneName(rapl[1]!);
    if (isMmioZone(path)) return 'mmio';
    if (domain === undefined) return undefined;
    const socket = domain === 'psys' ? null : powercapTopIndex(path) ?? intOrNull(labels['index']);
    const range = options.energyRangeMicrojoules;
    return energy(name, labels, socket, domain, range === undefined ? undefined : range / 1e6);
  }
  const kepler = /^kepler_(node|container|pod|vm|process)_(\w+)_total$/.exec(name);
  if (!kepler) return undefined;
  const [, kind, what] = kepler as unknown as [string, string, string];
  const legacy = /^(package|core|uncore|dram)_joules$/.exec(what);
  if (kind === 'node' && legacy) return energy(name, labels, intOrNull(labels['package']), legacy[1] as EnergyDomain, undefined);
  if (kind === 'node' && what === 'cpu_joules') {
    const path = labels['path'] ?? '';
    const domain = domainOfZoneName(labels['zone'] ?? '');
    if (isMmioZone(path)) return 'mmio';
    if (domain === undefined) return undefined;
    return energy(name, labels, domain === 'psys' ? null : powercapTopIndex(path) ?? null, domain, undefined);
  }
  const entity = entityOf(kind, labels);
  if (entity === undefined) return undefined;
  const event = keplerHardware[what] ?? ['kepler', what, ...qualifiers.flatMap((q) => qualifier(q, labels[q]))].join(':');
  return { key: keyOf(name, labels), target: { kind: 'sample', label: `${name} ${entity}`, scope: keplerScopes[kind]!, entity, event } };
}

function energy(name: string, labels: Record<string, string>, socket: number | null, domain: EnergyDomain,
  rangeJoules: number | undefined): ClassifiedSeries {
  const { mode: _mode, ...rest } = labels;
  return { key: keyOf(name, rest), target: { kind: 'energy', label: `${name} socket ${socket ?? '-'}`, socket, domain, rangeJoules } };
}

function entityOf(kind: string, l: Record<string, string>): string | undefined {
  const pick = (...names: string[]): string | undefined => names.map((n) => l[n]).find((v) => v !== undefined && v !== '');
  switch (kind) {
    case 'container': return pick('container_id', 'container_name');
    case 'pod': return pick('pod_id', 'pod_name');
    case 'vm': return pick('vm_id', 'vm_name');
    case 'process': return l['pid'] === undefined ? undefined : l['comm'] ? `${l['comm']}-${l['pid']}` : l['pid'];
    default: return pick('node_name', 'exported_instance', 'instance') ?? 'node';
  }
}

function qualifier(label: string, value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  return [label === 'path' ? value.replace(/\/+$/, '').split('/').pop()! : value];
}

function intOrNull(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

/** Name plus sorted labels: one key per series, whatever order the exporter printed them in. */
function keyOf(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

interface Previous {
  t: number;
  value: number;
  members: number;
}

/**
 * Turns successive readings of cumulative counters into store rows: energy or sample deltas
 * over [previous reading, this reading]. A decrease is a reset (interval dropped, warned), except
 * energy with a known range, which wraps per §3.3; energy above `maxPlausibleWatts` is dropped;
 * an energy total that reads 0 at both ends is an unmeasured domain and gives no row (listed in
 * `unmeasured`). State is one previous reading per series.
 */
export class CounterDeltas {
  private readonly prev = new Map<string, Previous>();
  private readonly maxWatts: number;
  /** Unix seconds that rows are measured from; set before the first row. */
  origin = 0;
  /** Energy series that still read 0 (a domain the exporter cannot measure), by label. */
  readonly unmeasured = new Set<string>();

  constructor(private readonly ctx: ParseContext, private readonly format: string) {
    this.maxWatts = ctx.options.maxPlausibleWatts ?? defaultMaxPlausibleWatts;
  }

  /**
   * One reading at `t` (Unix s, NaN when unknown) of series `key`; `members` counts the
   * exposition series summed into it (Kepler modes), and a change of it restarts the series.
   */
  point(key: string, target: SeriesTarget, t: number, value: number, members: number, line?: number): void {
    const p = this.prev.get(key);
    if (p !== undefined && t === p.t) {
      this.ctx.sink.warn(messages.duplicateReading(target.label), line);
      return;
    }
    this.prev.set(key, { t, value, members });
    if (p === undefined) return;
    if (p.members !== members) {
      this.ctx.sink.warn(messages.seriesRestarted(target.label, 'set of modes'), line);
      return;
    }
    // a RAPL total still at 0 was never read (Kepler exports 0 for absent domains): not 0 J
    if (target.kind === 'energy' && value === 0 && p.value === 0) {
      this.unmeasured.add(target.label);
      return;
    }
    if (Number.isNaN(t) || Number.isNaN(p.t)) {
      throw new TraceParseError(`${this.format}.noTimestamps`, messages.noTimestamps('Prometheus scrapes'), {
        context: { file: this.ctx.file, ...(line === undefined ? {} : { line }) }, hint: messages.hintScrapeTimes(),
      });
    }
    if (t < p.t) {
      throw new TraceParseError(`${this.format}.timeBackwards`, messages.timeBackwards(p.t - this.origin, t - this.origin), {
        context: { file: this.ctx.file, ...(line === undefined ? {} : { line }) },
      });
    }
    const inc = value >= p.value ? value - p.value
      : target.kind === 'energy' ? counterIncrement(p.value, value, target.rangeJoules) : NaN;
    if (Number.isNaN(inc)) {
      this.ctx.sink.warn(messages.counterReset(target.label), line);
      return;
    }
    if (target.kind === 'energy' && inc / (t - p.t) > this.maxWatts) {
      this.ctx.sink.warn(messages.energyImplausible(target.label, inc / (t - p.t), this.maxWatts), line);
      return;
    }
    const t0 = p.t - this.origin;
    const t1 = t - this.origin;
    if (target.kind === 'sample') this.ctx.sink.sample(t0, t1, target.scope, target.entity, null, target.event, inc, null);
    else this.ctx.sink.energy(t0, t1, target.socket, target.domain, inc);
  }
}

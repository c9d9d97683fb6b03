import { BundleError, excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { defaultMaxPlausibleWatts } from './energy-counter.js';
import { socketOfCpu } from './perf-aggregation.js';
import { RaplMsrReadings } from './rapl-msr-readings.js';
import { TickClock } from './tick-clock.js';
import { TickMerge } from './tick-merge.js';
import { domainNamer, isGuestDomain, vcpuEntity } from './xen-names.js';
import { resolveTscHz } from './xen-tsc.js';
import type { EnergyDomain, FormatSpec, LineParser, ParseContext } from './types.js';

/** XeMPower's RAPL columns and the `energy.domain` each feeds (PP1 = uncore/graphics plane). */
const RAPL: Readonly<Record<string, EnergyDomain>> = { PKG: 'package', PP0: 'core', PP1: 'uncore', DRAM: 'dram' };
/**
 * XeMPower conditions its raw readings with `value * 0.5^16` (the repository's commit message):
 * 2^-16 J = 15.3 µJ, the energy-status unit of Sandy/Ivy Bridge client parts. With it the
 * shared recording averages ≈27 W package at 3.4 GHz TSC; Haswell's 2^-14 J would mean ≈107 W
 * on a 4-pCPU client with a graphics plane, beyond its TDP. Override per file with
 * bundle.json `files[name].energy_unit_joules`.
 */
export const XEMPOWER_ENERGY_UNIT_JOULES = 2 ** -16;
const HEADER = /^TSC,CPU,DOM,vCPU(,[^,]+)+$/i;

interface Row { tick: number; pcpu: number; dom: number; vcpu: number; values: number[] }

function energyUnit(ctx: ParseContext): number {
  const unit = ctx.options.extra?.['energy_unit_joules'];
  if (unit === undefined) {
    ctx.sink.warn(messages.xempowerUnitAssumed(XEMPOWER_ENERGY_UNIT_JOULES));
    return XEMPOWER_ENERGY_UNIT_JOULES;
  }
  if (typeof unit !== 'number' || !(unit > 0)) {
    throw new BundleError('bundle.energyUnit', messages.xempowerBadUnit(unit), { context: { file: ctx.file } });
  }
  return unit;
}

function createParser(ctx: ParseContext): LineParser {
  const { sink, file, options } = ctx;
  const clock = new TickClock(resolveTscHz(ctx));
  const vmName = domainNamer(options);
  let names: string[] | undefined;
  let raplCols: number[] = [];
  let pmcCols: number[] = [];
  let rapl: RaplMsrReadings | undefined;
  let unitJoules: number | null = null;
  let rows = 0;
  let firstSlices = 0;
  const lastTick = new Map<number, number>();

  // Each row is a context switch on its pCPU; DOM/vCPU name the vCPU switched *out*: the idle
  // domain's rows retire 0 µops (7,895 of 7,895 in the shared trace) and only this reading
  // keeps every vCPU on one pCPU at a time. So the slice since the pCPU's previous row is theirs.
  const slice = (row: Row): void => {
    const prev = lastTick.get(row.pcpu);
    lastTick.set(row.pcpu, row.tick);
    if (prev === undefined) {
      firstSlices++;
      return;
    }
    if (row.tick <= prev) return;
    const t0 = clock.seconds(prev);
    const t1 = clock.seconds(row.tick);
    if (rapl && isGuestDomain(row.dom)) sink.residency(vmName(row.dom), row.vcpu, row.pcpu, t0, t1);
    // the slice's count is also the pCPU's: slices of every domain (idle included) tile its time,
    // so the `cpu` rows add up to the machine's counts, which calibration and attribution need
    for (const c of pmcCols) {
      sink.sample(t0, t1, 'vcpu', vcpuEntity(row.dom, row.vcpu), row.pcpu, names![c]!, row.values[c]!, null);
      sink.sample(t0, t1, 'cpu', `CPU${row.pcpu}`, row.pcpu, names![c]!, row.values[c]!, null);
    }
  };
  const release = (row: Row): void => {
    slice(row);
    if (!rapl) return;
    const socket = options.topology ? socketOfCpu(row.pcpu, options.topology) : 0;
    if (socket === null) sink.warn(messages.xempowerNoSocket(row.pcpu));
    else rapl.read(socket, clock.seconds(row.tick), raplCols.map((c) => row.values[c]!));
  };
  const merge = new TickMerge<Row>(release);

  const header = (text: string, lineNo: number): void => {
    if (!HEADER.test(text.trim())) {
      throw new TraceParseError('xempower.header', messages.xempowerHeader(), {
        context: { file, line: lineNo, expected: 'TSC,CPU,DOM,vCPU,…', found: excerpt(text) },
      });
    }
    names = text.trim().split(',');
    const counters = names.map((_, i) => i).slice(4);
    raplCols = counters.filter((i) => names![i]!.toUpperCase() in RAPL);
    pmcCols = counters.filter((i) => !raplCols.includes(i));
    if (raplCols.length > 0) {
      unitJoules = energyUnit(ctx);
      rapl = new RaplMsrReadings(sink, raplCols.map((i) => names![i]!), raplCols.map((i) => RAPL[names![i]!.toUpperCase()]!),
        unitJoules, options.maxPlausibleWatts ?? defaultMaxPlausibleWatts);
    } else {
      sink.warn(messages.xempowerNoResidency());
    }
  };

  return {
    line(text, lineNo) {
      if (text.trim() === '') return;
      if (!names) {
        header(text, lineNo);
        return;
      }
      const fields = text.split(',');
      const fail = (message: string, expected: string): never => {
        throw new TraceParseError('xempower.row', message, { context: { file, line: lineNo, expected, found: excerpt(text) } });
      };
      if (fields.length !== names.length) fail(messages.fieldCount(String(names.length), fields.length), names.join(','));
      const values = fields.map((f, i) => {
        const n = Number(f);
        if (f.trim() === '' || !Number.isInteger(n) || n < 0) fail(messages.badNumber(names![i]!, f), 'a counter value');
        return n;
      });
      rows++;
      clock.observe(values[0]!);
      merge.push({ tick: values[0]!, pcpu: values[1]!, dom: values[2]!, vcpu: values[3]!, values });
    },
    end() {
      if (rows === 0) {
        throw new TraceParseError('xempower.noRecords', messages.noRecords('XeMPower'), {
          context: { file, line: 1, expected: 'TSC,CPU,DOM,vCPU,… rows' },
        });
      }
      merge.finish();
      rapl?.finish();
      if (merge.late > 0) sink.warn(messages.xenLateEvents(merge.late));
      const seconds = clock.seconds(clock.last);
      const averageWatts = Object.fromEntries(raplCols.map((c, i) => [names![c]!, rapl!.totals[i]! / seconds]));
      sink.meta({
        hypervisor: 'xen',
        details: {
          rows, originTick: clock.originTick, lastTick: clock.last, lateRows: merge.late, firstSlicesDropped: firstSlices,
          rowNames: 'outgoing vCPU', energyUnitJoules: unitJoules, averageWatts,
          singlePackageAssumed: rapl !== undefined && !options.topology,
        },
      });
    },
  };
}

/**
 * XeMPower context-switch CSV (`TSC,CPU,DOM,vCPU,<counters>`, written by xentrace_format from
 * a patched Xen). A RAPL file (PKG/PP0/PP1/DRAM: cumulative 32-bit MSR readings) gives
 * `residency` and `energy`; a PMC file gives per-slice `samples`, once as the vCPU's (scope
 * vcpu, `d<D>v<V>`) and once as the pCPU's (scope cpu, `CPU<n>`).
 * Rows come per-pCPU buffer, not time-ordered: they go through the bounded `TickMerge` (in the
 * shared trace at most 1,494 rows / 0.1 s out of place).
 */
export const xempower: FormatSpec = {
  name: 'xempower',
  description: 'XeMPower per-context-switch CSV (RAPL or PMC readings per vCPU slice)',
  input: 'lines',
  sniff: ({ lines }) => (lines[0] !== undefined && HEADER.test(lines[0].trim()) ? 3 : 0),
  create: createParser,
};

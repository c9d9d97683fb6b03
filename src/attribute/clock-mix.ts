/**
 * Clocks per CPU: per-event energy changes with the clock (the model's frequency bands), and
 * CPUs — sockets — need not share one. An entity's counts are priced at the clocks of the CPUs
 * it ran on, in proportion to the time it ran on each.
 */

/** The recorded clock on the grid, MHz per interval (NaN where unknown): per CPU and the machine's mean. */
export interface CpuClock {
  perCpu: ReadonlyMap<number, Float64Array>;
  mean: Float64Array;
}

/**
 * The clocks one entity's counts ran at: `mhz[k][i]` of each CPU k it ran on and the time
 * `weight[k][i]` it ran there (any unit; an interval's weights are normalised). In an interval
 * with no weight — the entity ran nowhere recorded, like a QEMU I/O thread outside the
 * residency — each clock of `fallback` (every CPU's; the machine's mean without per-CPU clocks)
 * counts equally: the price of work that could have run anywhere.
 */
export interface ClockMix {
  mhz: Float64Array[];
  weight: Float64Array[];
  fallback: Float64Array[];
}

const fallbackOf = (clock: CpuClock): Float64Array[] => (clock.perCpu.size > 0 ? [...clock.perCpu.values()] : [clock.mean]);

/** The mix of an entity that ran `seconds.get(cpu)[i]` s on each CPU (none known: the machine's mean only). */
export function clockMix(clock: CpuClock, seconds: ReadonlyMap<number, Float64Array> | undefined): ClockMix {
  const mix: ClockMix = { mhz: [], weight: [], fallback: fallbackOf(clock) };
  for (const [cpu, s] of seconds ?? []) {
    const mhz = clock.perCpu.get(cpu);
    if (!mhz) continue;
    mix.mhz.push(mhz);
    mix.weight.push(s);
  }
  return mix;
}

/** The mix of counts made on one CPU (its clock unknown: as `fallback`). */
export function cpuMix(clock: CpuClock, cpu: number): ClockMix {
  const mhz = clock.perCpu.get(cpu);
  return { mhz: mhz ? [mhz] : [], weight: mhz ? [new Float64Array(mhz.length).fill(1)] : [], fallback: fallbackOf(clock) };
}

/** Sums the CPU → seconds maps of `parts` (e.g. a VM's vCPUs). */
export function addSeconds(parts: Iterable<ReadonlyMap<number, Float64Array>>, n: number): Map<number, Float64Array> {
  const out = new Map<number, Float64Array>();
  for (const part of parts) {
    for (const [cpu, s] of part) {
      let acc = out.get(cpu);
      if (!acc) out.set(cpu, acc = new Float64Array(n));
      for (let i = 0; i < n; i++) acc[i] = acc[i]! + s[i]!;
    }
  }
  return out;
}

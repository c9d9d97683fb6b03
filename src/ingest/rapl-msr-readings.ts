import { messages } from '../messages.js';
import { counterIncrement } from './energy-counter.js';
import type { EnergyDomain, TraceSink } from './types.js';

/** Range of a raw `MSR_*_ENERGY_STATUS` counter: 32 bits. */
const MSR_RANGE = 2 ** 32;

interface SocketState { value: Float64Array; since: Float64Array; changed: Uint8Array }

/**
 * Raw cumulative RAPL MSR readings taken at arbitrary instants (XeMPower reads them at every
 * context switch) → `energy` rows. The MSR only moves every ~1 ms, so a row is emitted only when
 * a counter changes, over [when its old value was first read, when the new one was first read]:
 * rows tile the trace and sum to the counter's total increase. A decrease is one 32-bit wrap;
 * an increment implying more than `maxWatts` is dropped as a reset. Readings must arrive in
 * time order per socket; an older one (a late row) is ignored. State: one value per counter.
 */
export class RaplMsrReadings {
  private readonly sockets = new Map<number, SocketState>();
  /** Joules emitted per counter. */
  readonly totals: Float64Array;

  constructor(private readonly sink: TraceSink, private readonly names: readonly string[],
    private readonly domains: readonly EnergyDomain[], private readonly unitJoules: number,
    private readonly maxWatts: number) {
    this.totals = new Float64Array(names.length);
  }

  /** Counter values (raw units, `names` order) read on `socket` at `t` s. */
  read(socket: number, t: number, values: ArrayLike<number>): void {
    let st = this.sockets.get(socket);
    if (!st) {
      st = { value: Float64Array.from(values), since: new Float64Array(values.length).fill(t), changed: new Uint8Array(values.length) };
      this.sockets.set(socket, st);
      return;
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === st.value[i] || t < st.since[i]!) continue;
      const joules = counterIncrement(st.value[i]!, v, MSR_RANGE) * this.unitJoules;
      const t0 = st.since[i]!;
      st.value[i] = v;
      st.since[i] = t;
      st.changed[i] = 1;
      const watts = joules / (t - t0);
      if (!(watts <= this.maxWatts)) {
        this.sink.warn(messages.energyImplausible(this.names[i]!, watts, this.maxWatts));
        continue;
      }
      this.totals[i]! += joules;
      this.sink.energy(t0, t, socket, this.domains[i]!, joules);
    }
  }

  /** Warns about counters that read 0 throughout (a domain the CPU lacks, e.g. DRAM on clients). */
  finish(): void {
    for (let i = 0; i < this.names.length; i++) {
      const states = [...this.sockets.values()];
      if (states.every((st) => st.changed[i] === 0 && st.value[i] === 0)) this.sink.warn(messages.allZeroEnergy(this.names[i]!));
    }
  }
}

import { domains } from './defaults.js';
import { hashUniform, Rng, streamKey } from './rng.js';
import type { Scenario } from './scenario.js';

/**
 * The RAPL hardware as the recorders see it: each socket's energy status registers count the
 * true cumulative energy in units of 2^-esu J (floored), and are refreshed only about every
 * millisecond, at jittered instants; a read returns the value of the last refresh. The register
 * is `counter_bits` wide and starts at an arbitrary boot-time value.
 *
 * Conversions follow the tools: perf and turbostat scale counts by 2^-esu J (perf accumulates to
 * 64 bits, so no wrap); powercap's `energy_uj` is `count × unit / 1000` with the kernel's
 * truncated unit `⌊10^9 / 2^esu⌋` nJ, wrapping at `max_energy_range_uj`.
 */
export class RaplModel {
  /** Joules per count, per domain. */
  readonly esuJoules: Float64Array;
  /** powercap's energy unit per count, nJ (truncated as in intel_rapl_common.c). */
  readonly unitNj: Float64Array;
  /** powercap's `max_energy_range_uj` per domain. */
  readonly rangeUj: Float64Array;
  /** The register modulus, 2^counter_bits. */
  readonly modulus: number;
  /** Register value at time 0, `[socket·3 + domain]`. */
  readonly initial: Float64Array;
  private readonly periodUs: number;
  private readonly jitterUs: number;
  private readonly phaseUs: Float64Array;
  private readonly jitterKey: number;

  constructor(scenario: Scenario, seed: number) {
    const { rapl, topology } = scenario;
    this.modulus = 2 ** rapl.counter_bits;
    this.esuJoules = Float64Array.from(domains, (d) => 2 ** -rapl.esu_bits[d]);
    this.unitNj = Float64Array.from(domains, (d) => Math.floor(1e9 / 2 ** rapl.esu_bits[d]));
    this.rangeUj = Float64Array.from(this.unitNj, (u) => Math.floor(((this.modulus - 1) * u) / 1000));
    this.periodUs = rapl.update_ms * 1000;
    this.jitterUs = Math.min(rapl.update_jitter_ms * 1000, this.periodUs * 0.45);
    const rng = new Rng(seed, 'rapl');
    this.initial = Float64Array.from({ length: topology.sockets * 3 }, () => Math.floor(rng.uniform() * this.modulus));
    this.phaseUs = Float64Array.from({ length: topology.sockets }, () => rng.uniform() * this.periodUs);
    this.jitterKey = streamKey(seed, 'rapl-updates');
  }

  private updateAt(socket: number, k: number): number {
    const j = (hashUniform(this.jitterKey ^ socket, k) * 2 - 1) * this.jitterUs;
    return this.phaseUs[socket]! + k * this.periodUs + j;
  }

  /** Time (µs) of the last register refresh of `socket` at or before `t` µs. */
  lastUpdate(socket: number, t: number): number {
    const k = Math.floor((t - this.phaseUs[socket]!) / this.periodUs);
    for (let i = k + 1; i >= k - 1; i--) {
      const u = this.updateAt(socket, i);
      if (u <= t) return u;
    }
    return this.updateAt(socket, k - 2);
  }

  /** Unwrapped register count of domain `d` on `socket` after `joules` of true energy. */
  count(socket: number, d: number, joules: number): number {
    return this.initial[socket * 3 + d]! + Math.floor(joules / this.esuJoules[d]!);
  }

  /** powercap `energy_uj` for an unwrapped count. */
  microjoules(d: number, count: number): number {
    return Math.floor(((count % this.modulus) * this.unitNj[d]!) / 1000);
  }
}

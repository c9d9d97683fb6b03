import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import type { ModelFile } from '../model/model-file.js';
import type { CpuClock } from './clock-mix.js';
import { splitIdle, type IdleSplit, type IdleSplitRule } from './idle-split.js';
import { vmOf } from './vcpu-name.js';
import { staticWattsAt, sumOf } from './vm-dynamic.js';

/**
 * Per-socket models (`scope: 'socket'`, from `vheat calibrate --scope socket`). Calibration fits
 * `E_socket = P_static·Δt + Σ w_i·count_i` to each socket's energy with the counts of that
 * socket's CPUs and the socket's clock (the mean of its CPUs' gauge): so the machine draws
 * `P_static` once per socket, and a count is priced at the clock of its socket. The weights are
 * per event, so pricing every CPU's counts and adding them up is the same as pricing each
 * socket's sum. A machine-scope model has one static power for the whole machine.
 */

/** Static energy of one unit (a socket, or the machine), J per interval, and its CPUs (null: all of the machine's). */
export interface StaticUnit {
  joules: Float64Array;
  cpus: number[] | null;
}

/** Mean of the finite values of `series` per interval (NaN where none is). */
function meanOf(series: readonly Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let count = 0;
    for (const s of series) {
      if (Number.isFinite(s[i]!)) {
        sum += s[i]!;
        count++;
      }
    }
    out[i] = count > 0 ? sum / count : NaN;
  }
  return out;
}

/** Socket → its CPUs, by `cpuSocket` (cpu → socket). */
function socketCpus(cpuSocket: readonly number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  cpuSocket.forEach((s, cpu) => {
    if (!out.has(s)) out.set(s, []);
    out.get(s)!.push(cpu);
  });
  return new Map([...out].sort(([a], [b]) => a - b));
}

/** The clock as a per-socket model reads it: every CPU at its socket's mean clock, MHz per interval. */
export function socketClock(clock: CpuClock, cpuSocket: readonly number[]): CpuClock {
  const n = clock.mean.length;
  const perCpu = new Map(clock.perCpu);
  for (const cpus of socketCpus(cpuSocket).values()) {
    const mean = meanOf(cpus.flatMap((c) => clock.perCpu.get(c) ?? []), n);
    for (const c of cpus) if (clock.perCpu.has(c)) perCpu.set(c, mean);
  }
  return { perCpu, mean: clock.mean };
}

/**
 * The model's static energy per interval (`dt` in s), by unit: the machine for a machine-scope
 * model; for a per-socket model one unit per socket of `cpuSocket`, each priced at its own
 * clock, else `sockets` (the number the energy trace reports) at the machine's mean clock as
 * one unit. Throws when a per-socket model meets neither.
 */
export function staticUnits(model: ModelFile, clock: CpuClock | null, dt: Float64Array, sockets: number,
  cpuSocket: readonly number[] | undefined): StaticUnit[] {
  const n = dt.length;
  const priced = (mhz: Float64Array | null, times: number): Float64Array =>
    dt.map((d, i) => times * staticWattsAt(model, mhz ? mhz[i]! : NaN) * d);
  if (model.scope === 'host') return [{ joules: priced(clock?.mean ?? null, 1), cpus: null }];
  if (cpuSocket?.length) {
    return [...socketCpus(cpuSocket).values()].map((cpus) => ({
      joules: priced(clock ? meanOf(cpus.flatMap((c) => clock.perCpu.get(c) ?? []), n) : null, 1), cpus,
    }));
  }
  if (sockets < 1) {
    throw new ModelError('attribute.socketCount', messages.attributeSocketCount(), {
      hint: 'give the socket of each CPU with --cpu-socket (e.g. 0,0,1,1), as for vheat calibrate',
    });
  }
  return [{ joules: priced(clock?.mean ?? null, sockets), cpus: null }];
}

/**
 * `splitIdle` of each unit, added up: a VM's share of a socket's static energy follows its
 * CPU time on that socket's CPUs (`placement`: vCPU → pCPU → s per interval); a unit of the
 * whole machine uses `cpuSeconds` (VM → pCPU-s) over its `cpus` CPUs.
 */
export function splitStatic(rule: IdleSplitRule, units: readonly StaticUnit[], vms: readonly string[],
  placement: ReadonlyMap<string, ReadonlyMap<number, Float64Array>>, cpuSeconds: ReadonlyMap<string, Float64Array>,
  cpus: number, dt: Float64Array): IdleSplit {
  const n = dt.length;
  const splits = units.map((u) => {
    if (u.cpus === null) return splitIdle(rule, u.joules, vms, cpuSeconds, cpus, dt);
    const mine = new Set(u.cpus);
    const seconds = new Map(vms.map((vm) => [vm, sumOf([...placement].filter(([v]) => vmOf(v) === vm)
      .flatMap(([, p]) => [...p].filter(([pcpu]) => mine.has(pcpu)).map(([, s]) => s)), n)]));
    return splitIdle(rule, u.joules, vms, seconds, u.cpus.length, dt);
  });
  return {
    perVm: new Map(vms.map((vm) => [vm, sumOf(splits.map((s) => s.perVm.get(vm)!), n)])),
    unassigned: sumOf(splits.map((s) => s.unassigned), n),
  };
}

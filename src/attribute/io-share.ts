import type { ModelFile } from '../model/model-file.js';
import type { ClockMix } from './clock-mix.js';
import { dynamicJoules, type Counts } from './vm-dynamic.js';

/**
 * I/O-emulation energy: energy spent outside a VM's vCPUs to serve its I/O, charged back to it.
 *
 * The rule, by what the recording holds:
 * 1. **Direct** (KVM with per-thread or per-vCPU cgroup counts): a VM's series counts all its
 *    QEMU threads, its vCPU series only the vCPU threads; the difference is its vhost workers,
 *    I/O threads and emulator thread, which run only for that VM. `io = model(VM − Σ vCPUs)`,
 *    counts per interval, priced at the clocks of the CPUs the VM's vCPUs ran on: the residency
 *    holds only vCPUs, and QEMU's threads share the VM's cpuset.
 * 2. **Backend** (Xen with dom0's backend threads counted inside dom0, `backend` rows): each
 *    guest's blkback/netback threads run only for it; `io = model(their counts)`, per interval.
 *    dom0's own work is what is left of dom0 and stays with the host.
 * 3. **Pooled** (Xen without backend counts; dom0 runs every guest's backends): dom0's dynamic
 *    energy above its own baseline is split among guests in proportion to the I/O they did in
 *    the interval (`io` table ops, or on-CPU seconds of I/O threads when a kind has no ops).
 *    dom0's baseline is its mean dynamic power over intervals in which no guest did I/O (its own
 *    work); without such intervals it is 0 and all of dom0's energy during I/O is charged
 *    (noted). Intervals with no guest I/O keep all of dom0's energy on the host. This is an
 *    estimate: dom0's own work varies from interval to interval, and the baseline cannot follow
 *    it (on the generated test-xen bundle it costs the I/O guest 2–3 %); record the backend
 *    threads for rule 2.
 */

/** Direct rule: the VM's counts not made by its vCPUs, per event and interval (`n` intervals). */
export function directIoCounts(vm: Counts, vcpus: readonly Counts[], n: number): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [event, c] of vm) {
    const rest = Float64Array.from(c.subarray(0, n));
    for (const v of vcpus) {
      const part = v.get(event);
      if (part) for (let i = 0; i < n; i++) rest[i] = rest[i]! - part[i]!;
    }
    out.set(event, rest);
  }
  return out;
}

/**
 * Backend rule: the dynamic energy of dom0's backend threads serving one guest (`counts`, none:
 * 0), J per interval, priced at the clocks of the CPUs dom0 ran on (`clock`).
 */
export function backendIoShare(model: ModelFile, counts: Counts | undefined, clock: ClockMix | null, n: number): Float64Array {
  return counts ? dynamicJoules(model, counts, clock, n) : new Float64Array(n);
}

/** What the pooled rule charged. */
export interface PooledShare {
  /** VM → J per interval taken from the pool. */
  perVm: Map<string, Float64Array>;
  /** The pool's own baseline power, W (kept by the host). */
  baselineWatts: number;
  /** Whether the baseline came from intervals without guest I/O (else 0 was assumed). */
  baselineMeasured: boolean;
}

/**
 * Pooled rule: splits `poolJoules` (dom0's dynamic J per interval) among the VMs of `activity`
 * (VM → I/O per interval, ops or s) as described above; `dt` holds the interval lengths, s.
 */
export function pooledIoShare(poolJoules: Float64Array, dt: Float64Array, activity: ReadonlyMap<string, Float64Array>): PooledShare {
  const n = poolJoules.length;
  const total = new Float64Array(n);
  for (const a of activity.values()) for (let i = 0; i < n; i++) total[i] = total[i]! + a[i]!;
  let quietJ = 0;
  let quietS = 0;
  for (let i = 0; i < n; i++) {
    if (total[i]! > 0) continue;
    quietJ += poolJoules[i]!;
    quietS += dt[i]!;
  }
  const baselineWatts = quietS > 0 ? Math.max(0, quietJ / quietS) : 0;
  const perVm = new Map<string, Float64Array>();
  for (const [vm, a] of activity) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (!(total[i]! > 0)) continue;
      const busy = Math.max(0, poolJoules[i]! - baselineWatts * dt[i]!);
      out[i] = (busy * a[i]!) / total[i]!;
    }
    perVm.set(vm, out);
  }
  return { perVm, baselineWatts, baselineMeasured: quietS > 0 };
}

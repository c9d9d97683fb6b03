/**
 * I/O-emulation energy: energy spent outside a VM's vCPUs to serve its I/O, charged back to it.
 *
 * The rule, by what the recording holds:
 * 1. **Direct** (KVM with per-thread or per-vCPU cgroup counts): a VM's series counts all its
 *    QEMU threads, its vCPU series only the vCPU threads; the difference is its vhost workers,
 *    I/O threads and emulator thread, which run only for that VM. `io = VM − Σ vCPUs`, per interval.
 * 2. **Pooled** (Xen: dom0 runs every guest's backends): dom0's dynamic energy above its own
 *    baseline is split among guests in proportion to the I/O they did in the interval (`io`
 *    table ops, or on-CPU seconds of I/O threads when a kind has no ops). dom0's baseline is its
 *    mean dynamic power over intervals in which no guest did I/O (its own work); without such
 *    intervals it is 0 and all of dom0's energy during I/O is charged (noted). Intervals with no
 *    guest I/O keep all of dom0's energy on the host.
 */

/** Direct rule: the VM's energy not spent in its vCPUs, J per interval. */
export function directIoShare(vmJoules: Float64Array, vcpuJoules: Float64Array): Float64Array {
  const out = new Float64Array(vmJoules.length);
  for (let i = 0; i < out.length; i++) out[i] = vmJoules[i]! - vcpuJoules[i]!;
  return out;
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

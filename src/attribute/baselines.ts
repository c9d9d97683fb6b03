/**
 * Baselines that split measured energy by CPU time instead of counters, reported beside the
 * counter model so users see how much the counters change per-VM numbers. A VM's CPU time is
 * its vCPUs' residency plus the on-CPU time of its QEMU I/O threads (what `top` charges its
 * process); dom0 (Xen) counts as host.
 * - **Kepler** (CPU-time ratio): dynamic energy (measured − model static) is split by each
 *   consumer's share of the CPU time used in the interval; static is split by the same
 *   `--idle-split` rule as the counter model, so only the dynamic rule differs.
 * - **Scaphandre** (jiffies share): a VM gets measured × its jiffies / all jiffies of the
 *   machine (CPUs × elapsed), with CPU time read as cumulative 1/`hz` s ticks, as
 *   /proc/<pid>/stat reports it; idle time's share stays with nobody.
 */

/** Kepler-style J per interval of each VM in `vmSeconds`; `otherSeconds` is the CPU time of everything else. */
export function keplerSplit(measured: Float64Array, staticJoules: Float64Array, vmSeconds: ReadonlyMap<string, Float64Array>,
  otherSeconds: Float64Array, idle: ReadonlyMap<string, Float64Array>): Map<string, Float64Array> {
  const n = measured.length;
  const used = Float64Array.from(otherSeconds);
  for (const s of vmSeconds.values()) for (let i = 0; i < n; i++) used[i] = used[i]! + s[i]!;
  const out = new Map<string, Float64Array>();
  for (const [vm, s] of vmSeconds) {
    const j = new Float64Array(n);
    const id = idle.get(vm);
    for (let i = 0; i < n; i++) {
      const dyn = used[i]! > 0 ? ((measured[i]! - staticJoules[i]!) * s[i]!) / used[i]! : 0;
      j[i] = dyn + (id ? id[i]! : 0);
    }
    out.set(vm, j);
  }
  return out;
}

/** Scaphandre-style J per interval of each VM in `vmSeconds`, with `cpus` CPUs and `hz` jiffies per s (default 100). */
export function scaphandreSplit(measured: Float64Array, dt: Float64Array, vmSeconds: ReadonlyMap<string, Float64Array>,
  cpus: number, hz = 100): Map<string, Float64Array> {
  const n = measured.length;
  const out = new Map<string, Float64Array>();
  for (const [vm, s] of vmSeconds) {
    const j = new Float64Array(n);
    let cum = 0;
    let prevTicks = 0;
    for (let i = 0; i < n; i++) {
      cum += s[i]!;
      const ticks = Math.floor(cum * hz + 1e-9);
      j[i] = (measured[i]! * (ticks - prevTicks)) / (cpus * dt[i]! * hz);
      prevTicks = ticks;
    }
    out.set(vm, j);
  }
  return out;
}

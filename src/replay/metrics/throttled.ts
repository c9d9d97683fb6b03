/**
 * Throttled core-seconds: the run's total of `throttledSeconds`, the core-seconds a policy held
 * back from running per tick (ticks × cores of seconds each, or already summed per tick: every
 * entry is added). Additive over tick blocks.
 */
export function throttledCoreSeconds(cols: { throttledSeconds: Float64Array }): number {
  let total = 0;
  for (const s of cols.throttledSeconds) total += s;
  return total;
}

/** Work lost per VM over a run; work in the caller's unit (cycles, or CPU-seconds). */
export interface WorkLost {
  demanded: Float64Array;
  delivered: Float64Array;
  /** demanded − delivered: the backlog left when the run ended. */
  lost: Float64Array;
  /**
   * demanded / delivered: how much longer the VM's work takes than it asked for (1 = no
   * slowdown; 1 when it demanded nothing; Infinity when it demanded work and got none).
   */
  slowdown: Float64Array;
}

/**
 * Work lost and slowdown per VM from `demanded` and `delivered` work, ticks × `vms` row-major.
 * Work delivered in a later tick than demanded (backlog carried forward) is not lost; only
 * the totals over the run are compared. Streaming: sum both columns per VM as ticks go, then
 * call this once with the sums as a single tick.
 */
export function workLost(cols: { demanded: Float64Array; delivered: Float64Array }, opts: { vms: number }): WorkLost {
  const { vms } = opts;
  const demanded = new Float64Array(vms);
  const delivered = new Float64Array(vms);
  for (let j = 0; j < cols.demanded.length; j++) {
    demanded[j % vms]! += cols.demanded[j]!;
    delivered[j % vms]! += cols.delivered[j]!;
  }
  const lost = demanded.map((d, m) => d - delivered[m]!);
  const slowdown = demanded.map((d, m) => (d === 0 ? 1 : d / delivered[m]!));
  return { demanded, delivered, lost, slowdown };
}

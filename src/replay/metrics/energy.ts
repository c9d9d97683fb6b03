/** Energy of a run, J. */
export interface EnergyTotals {
  /** Everything the host's packages used (measured or modelled per socket), J. */
  totalJoules: number;
  /** Per VM: its own execution plus its I/O emulation, J. */
  vmJoules: Float64Array;
  /** Per VM: the part of `vmJoules` spent emulating its I/O (dom0, QEMU threads, vhost), J. */
  vmIoJoules: Float64Array;
  /** Per VM: vmIoJoules / vmJoules (0 when the VM used nothing). */
  vmIoShare: Float64Array;
  /** totalJoules − Σ vmJoules: idle, static and hypervisor energy no VM is charged with, J. */
  unattributedJoules: number;
}

/**
 * Energy totals: `hostJoules` per tick (or per tick × socket: everything is summed),
 * `vmJoules` (CPU energy charged to each VM) and `vmIoJoules` (I/O-emulation energy attributed
 * back to it), both ticks × `vms` row-major, J. Additive over tick blocks.
 */
export function energyTotals(
  cols: { hostJoules: Float64Array; vmJoules: Float64Array; vmIoJoules: Float64Array }, opts: { vms: number },
): EnergyTotals {
  const { vms } = opts;
  let totalJoules = 0;
  for (const j of cols.hostJoules) totalJoules += j;
  const vmJoules = new Float64Array(vms);
  const vmIoJoules = new Float64Array(vms);
  for (let j = 0; j < cols.vmJoules.length; j++) {
    vmJoules[j % vms]! += cols.vmJoules[j]! + cols.vmIoJoules[j]!;
    vmIoJoules[j % vms]! += cols.vmIoJoules[j]!;
  }
  const vmIoShare = vmJoules.map((total, m) => (total > 0 ? vmIoJoules[m]! / total : 0));
  const unattributedJoules = totalJoules - vmJoules.reduce((s, j) => s + j, 0);
  return { totalJoules, vmJoules, vmIoJoules, vmIoShare, unattributedJoules };
}

import type { Bundle, BundleVm } from '../ingest/bundle.js';
import type { HostCapabilities, VmInfo } from './capabilities.js';

function bundleVm(vm: VmInfo): BundleVm {
  return {
    name: vm.name,
    ...(vm.domid !== undefined ? { domid: vm.domid } : {}),
    ...(vm.pid !== undefined ? { pid: vm.pid } : {}),
    ...(vm.cgroup !== undefined ? { cgroup: vm.cgroup } : {}),
    ...(vm.vcpus !== undefined ? { vcpus: vm.vcpus } : {}),
    ...(vm.vcpuTids !== undefined ? { vcpu_tids: vm.vcpuTids } : {}),
    ...(vm.ioTids !== undefined ? { io_tids: vm.ioTids } : {}),
  };
}

/**
 * The bundle.json of a recording (src/ingest/bundle.ts): host, hypervisor, topology, TSC rate,
 * every VM found (all of them, so system-wide traces can name every VM, whatever `--vm` chose)
 * and the format of each planned file.
 */
export function bundleFor(caps: HostCapabilities, files: NonNullable<Bundle['files']>): Bundle {
  const t = caps.topology;
  return {
    version: 1,
    host: caps.host,
    hypervisor: caps.hypervisor,
    ...(caps.cpuModel !== undefined ? { cpu_model: caps.cpuModel } : {}),
    ...(t !== undefined ? {
      topology: {
        sockets: t.sockets, cores_per_socket: t.coresPerSocket, threads_per_core: t.threadsPerCore,
        ...(t.cpuSocket !== undefined ? { cpu_socket: t.cpuSocket } : {}),
      },
    } : {}),
    ...(caps.tsc !== undefined ? { tsc_hz: caps.tsc.hz } : {}),
    vms: caps.vms.map(bundleVm),
    files,
  };
}

import type { Bundle } from '../ingest/bundle.js';
import type { GenContext } from './context.js';
import type { FileSummary } from './recorder.js';

/** Formats whose timestamps are Unix epoch seconds already. */
const epochStamped = new Set(['turbostat', 'powercap']);

/** Tools that read physical counters, which a stock Xen dom0 cannot (TRACE-FORMATS.md §3.1, §4.4). */
const dom0Physical = new Set(['perf-stat-csv', 'turbostat', 'powercap']);
const xenNote = 'synthetic: assumes dom0 reads per-pCPU counters, RAPL and temperatures (vpmu=all, MSR access); '
  + 'a stock Xen dom0 usually cannot';

/**
 * The bundle.json of a generated recording (schema in src/ingest/bundle.ts): host, topology
 * with the explicit CPU → socket map (SMT siblings are not adjacent), TSC frequency, VM
 * identities (Xen domain ids, dom0 included; KVM QEMU pid, vCPU and I/O thread ids, cgroup) and
 * each file's format plus the command that would have written it.
 */
export function bundleJson(ctx: GenContext, files: FileSummary[]): Bundle {
  const { scenario: s, topo, cast } = ctx;
  const vms: NonNullable<Bundle['vms']> = [];
  if (s.hypervisor === 'xen') vms.push({ name: 'Domain-0', domid: 0, vcpus: s.dom0.vcpus });
  cast.vms.forEach((vm) => {
    vms.push({
      name: vm.name,
      ...(vm.domid !== undefined ? { domid: vm.domid } : {}),
      ...(vm.pid !== undefined ? { pid: vm.pid } : {}),
      ...(vm.cgroup !== undefined ? { cgroup: vm.cgroup } : {}),
      vcpus: vm.vcpuEntities.length,
      ...(vm.pid !== undefined ? {
        vcpu_tids: vm.vcpuEntities.map((e) => cast.entities[e]!.tid),
        io_tids: vm.ioEntity >= 0 ? [cast.entities[vm.ioEntity]!.tid] : [],
      } : {}),
    });
  });
  return {
    version: 1,
    host: s.host,
    hypervisor: s.hypervisor,
    cpu_model: s.cpu_model,
    topology: {
      sockets: topo.sockets,
      cores_per_socket: topo.coresPerSocket,
      threads_per_core: topo.threadsPerCore,
      cpu_socket: Array.from(topo.cpuSocket),
    },
    tsc_hz: s.tsc_hz,
    thermal: { limit_celsius: s.thermal.limit_celsius, ambient_celsius: s.thermal.ambient_celsius },
    vms,
    files: Object.fromEntries(files.map((f) => [f.file, {
      format: f.format,
      // files whose own clock is not wall time (or only to the second, perf's "# started on")
      ...(epochStamped.has(f.format) ? {} : { start_epoch_seconds: s.start_epoch_seconds + f.start_seconds }),
      command: f.command,
      ...(s.hypervisor === 'xen' && dom0Physical.has(f.format) ? { note: xenNote } : {}),
      ...f.bundle,
    }])),
  };
}

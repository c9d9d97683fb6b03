/** The recording tools `vheat record` looks for. */
export const toolNames = ['perf', 'trace-cmd', 'turbostat', 'xl', 'xentrace', 'xentop', 'xenpm'] as const;
export type ToolName = (typeof toolNames)[number];

/** One VM running on the host, as the probe found it. */
export interface VmInfo {
  name: string;
  /** Xen domain id. */
  domid?: number;
  /** QEMU process id (KVM). */
  pid?: number;
  /** Owner of the QEMU process (unprivileged perf may attach only to its own user's threads). */
  uid?: number;
  vcpus?: number;
  /** Thread id per vCPU index (KVM, from `CPU <n>/KVM` thread names). */
  vcpuTids?: number[];
  /** QEMU I/O threads and vhost workers of this VM (KVM). */
  ioTids?: number[];
  /** Xen: dom0's backend kernel threads serving this guest (`blkback.<domid>.*`, `vif<domid>.*`). */
  backendTids?: number[];
  /** cgroup of the VM as `perf -G` takes it (relative to the cgroup root, no leading slash). */
  cgroup?: string;
  /** Why the VM has no usable cgroup, when it has none. */
  cgroupProblem?: string;
}

/** Host topology (logical CPUs = sockets × cores_per_socket × threads_per_core). */
export interface HostTopology {
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  /** cpu → socket, only when CPU numbering is not socket-major. */
  cpuSocket?: number[];
}

/** What perf can do here. */
export interface PerfCapabilities {
  version: string | undefined;
  /** `/proc/sys/kernel/perf_event_paranoid`, undefined when unreadable. */
  paranoid: number | undefined;
  /** PMUs in `/sys/bus/event_source/devices`. */
  pmus: string[];
  /** Whether hardware events (cycles, instructions) count here. */
  hardwarePmu: boolean;
  /** `msr` PMU events present (`tsc`, `aperf`, `mperf`). */
  msrEvents: string[];
  /** RAPL events of the `power` PMU (`energy-pkg`, …). */
  powerEvents: string[];
}

/**
 * What the host offers for recording: hypervisor, CPUs, tools, permissions, counters, energy
 * sources and running VMs. Produced by `probeHost`, consumed by `planRecording`.
 */
export interface HostCapabilities {
  host: string;
  kernel: string | undefined;
  /** Effective uid of the probe (the recorders run as the same user). */
  uid: number;
  root: boolean;
  hypervisor: 'xen' | 'kvm' | 'none';
  /** Xen only: true in dom0 (`/proc/xen/capabilities` says `control_d`). */
  xenDom0?: boolean;
  /** The host is itself a virtual machine (cpuinfo flag `hypervisor`, Xen dom0 excepted). */
  nested: boolean;
  cpuModel: string | undefined;
  /** Logical CPUs of the host (pCPUs on Xen, from `xl info`). */
  cpus: number;
  topology: HostTopology | undefined;
  /** Host TSC frequency in Hz and where it came from. */
  tsc: { hz: number; source: string } | undefined;
  /** Path of each tool, null when not installed. */
  tools: Record<ToolName, string | null>;
  /** Undefined when perf is not installed. */
  perf: PerfCapabilities | undefined;
  /** The mounted tracefs and the tracepoints vheat uses, undefined when none is visible. */
  tracefs: { path: string; schedSwitch: boolean; kvmEvents: boolean } | undefined;
  /** RAPL zones under /sys/class/powercap (mmio duplicates left out); `readable`: energy_uj reads. */
  powercap: { zones: { zone: string; name: string }[]; readable: boolean };
  /** `/dev/cpu/0/msr` exists (turbostat needs it). */
  msrDevice: boolean;
  vms: VmInfo[];
  /** Findings worth telling the user that are not a skipped recorder. */
  notes: string[];
}

/**
 * Why `vheat record` cannot record something here, one function each (the skipped list of a
 * plan and the probe's notes). Tests compare against these functions.
 */
export const reasons = {
  // ── perf ─────────────────────────────────────────────────────────────────────────────────
  perfMissing: () => 'perf is not installed (Debian: apt install linux-perf; Ubuntu: linux-tools-$(uname -r))',
  perfDisabled: (paranoid: number) =>
    `perf_event_paranoid=${paranoid} and not root: this kernel allows perf to root only`,
  perfSystemWide: (paranoid: number | undefined, what: string) =>
    `perf_event_paranoid=${paranoid ?? 'unknown'} and not root: ${what} need root or paranoid ≤ 0`,
  perfTracepoints: (paranoid: number | undefined) =>
    `perf_event_paranoid=${paranoid ?? 'unknown'} and not root: recording sched:sched_switch system-wide needs root or paranoid -1`,
  noHardwarePmu: (detail: string, why: string) =>
    `no hardware PMU: ${detail}${why}; cycles and instructions would read <not supported>, so only software counters are recorded`,
  pmuListed: (pmus: readonly string[]) => `perf lists only the ${pmus.join(', ')} PMUs`,
  pmuNotSupported: () => 'perf stat -e cycles answers <not supported>',
  pmuWhyNested: () => ' (this host is itself a virtual machine without a virtual PMU)',
  pmuWhyXen: () => ' (Xen gives dom0 the hardware counters only when booted with vpmu=on; it is off by default)',

  // ── VMs ──────────────────────────────────────────────────────────────────────────────────
  noQemu: () => 'no running QEMU process found (start the VMs before recording)',
  qemuOtherUser: (vm: string, uid: number) =>
    `${vm}: QEMU runs as uid ${uid} and vheat is not root; perf attaches only to its own user's threads`,
  cgroupNone: (vm: string) => `${vm}: QEMU is in no perf_event cgroup (neither a cgroup v1 perf_event hierarchy nor cgroup v2)`,
  cgroupShared: (vm: string, path: string, others: number) =>
    `${vm}: QEMU's cgroup ${path} holds ${others} other process${others === 1 ? '' : 'es'}, which per-cgroup counters would count too (libvirt gives each VM its own machine.slice scope)`,
  cgroupUnreadable: (vm: string, file: string) => `${vm}: cannot read ${file} to check that QEMU has its cgroup to itself`,
  threadsUnnamed: (vm: string) =>
    `${vm}: QEMU's threads are unnamed (start it with -name ${vm},debug-threads=on, as libvirt does), so vCPU threads cannot be told apart`,

  // ── energy ───────────────────────────────────────────────────────────────────────────────
  noRapl: (why: string) => `no RAPL: /sys/class/powercap has no intel-rapl zones and perf has no power PMU${why}`,
  raplWhyXen: () => ' (Xen dom0 cannot read RAPL MSRs; use an external meter)',
  raplWhyNested: () =>
    ' (this host is itself a virtual machine and cannot read the physical RAPL MSRs; record on the bare-metal host or use an external meter)',
  raplWhyPlain: () => ' (the CPU has no RAPL, or the intel_rapl_msr module is not loaded)',
  raplXen: () =>
    'Xen dom0: RAPL energy read through Xen is 0 or frozen (the energy MSRs are not passed to dom0); use an external meter',
  powercapUnreadable: () =>
    'powercap energy_uj is readable by root only (CVE-2020-8694 fix): run vheat record as root',

  // ── turbostat ────────────────────────────────────────────────────────────────────────────
  turbostatMissing: () => 'turbostat is not installed (Debian: apt install linux-cpupower)',
  turbostatNotRoot: () => 'turbostat reads MSRs and needs root',
  turbostatNoMsr: () => 'turbostat needs /dev/cpu/*/msr: load the msr module (modprobe msr)',
  turbostatXen: () =>
    "Xen dom0: turbostat would see dom0's vCPUs, not the host's pCPUs, and Xen hides the energy MSRs; xenpm records per-pCPU C/P-states instead",

  // ── scheduling ───────────────────────────────────────────────────────────────────────────
  schedNoTool: () => 'neither perf nor trace-cmd is installed',
  schedNoTracefs: () =>
    'no tracefs with sched:sched_switch is visible (mount -t tracefs nodev /sys/kernel/tracing, as root)',
  schedTraceCmdNotRoot: () => 'trace-cmd record needs root',
  schedXen: () => "Xen dom0: sched_switch sees only dom0's own vCPUs; vCPU placement comes from xentrace",

  // ── Xen ──────────────────────────────────────────────────────────────────────────────────
  percpuXen: () =>
    "Xen dom0: perf sees dom0's vCPUs, not the host's pCPUs, so its CPU<n> rows would be mislabelled; per-pCPU activity comes from xentrace and xenpm",
  perThreadXen: () => "Xen: vCPUs are not dom0 threads, so there is nothing to attach perf to; xentop has per-domain CPU time",
  xenDomU: () => 'this is a Xen guest (domU), not dom0: run vheat record in dom0',
  xenToolMissing: (tool: string) => `${tool} is not installed (Debian: apt install xen-utils)`,
  backendNone: () =>
    'no blkback/vif backend threads in dom0 serve the selected guests (no PV disks or networks, or QEMU backends), so dom0\'s I/O work is split by I/O activity',
  backendNotRoot: () => "counting dom0's backend kernel threads needs root (perf attaches only to the user's own threads)",
  xenNotRoot: (tool: string) => `${tool} needs root`,
  tscUnknown: () =>
    'the TSC frequency is unknown (no xl info, dmesg or model name gave it): add tsc_hz to bundle.json before ingesting xentrace.bin',
  notAHypervisorHost: () => 'neither Xen dom0 nor /dev/kvm found: only host-wide recorders apply',
} as const;

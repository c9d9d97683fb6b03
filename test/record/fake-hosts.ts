import { cpuTopologyFiles, pmuFiles, procFiles, taskFiles, type FakeHost } from '../helpers/fake-host.js';

const root = { '/proc/self/status': 'Name:\tnode\nUid:\t0\t0\t0\t0\n' };
const tracefs = (events: readonly string[]): Record<string, string> =>
  Object.fromEntries(events.map((e) => [`/sys/kernel/tracing/events/${e}/format`, `name: ${e}\n`]));

/**
 * Xen dom0 on an 8-pCPU host (1 socket × 4 cores × 2 threads) with 3 domains, Xen tools and
 * perf, no RAPL (dom0 never sees it), no turbostat, no vPMU. dom0 itself has 4 vCPUs and runs
 * the guests' backend kernel threads (comm cut at 15 characters): web01 (domid 1) a block and a
 * network backend, db01 (domid 2) two block backends.
 */
export function xenDom0(): FakeHost {
  return {
    files: {
      ...root,
      '/proc/sys/kernel/hostname': 'xen01\n',
      '/proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
      '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz\nflags\t\t: fpu vme de pse tsc msr hypervisor\n',
      '/proc/xen/capabilities': 'control_d\n',
      ...cpuTopologyFiles([[0, 0], [0, 1], [0, 2], [0, 3]]),
      '/proc/sys/kernel/perf_event_paranoid': '2\n',
      ...pmuFiles({ breakpoint: [], software: [], tracepoint: [] }),
      ...tracefs(['sched/sched_switch']),
      ...procFiles(1, 'systemd'),
      ...procFiles(640, 'xenstored'),
      ...procFiles(1203, 'blkback.1.xvda'),
      ...procFiles(1210, 'vif1.0-q0-guest'),
      ...procFiles(1211, 'vif1.0-q0-deall'),
      ...procFiles(1350, 'blkback.2.xvda'),
      ...procFiles(1351, 'blkback.2.xvdb'),
    },
    tools: { perf: '/usr/bin/perf', xl: '/usr/sbin/xl', xentrace: '/usr/sbin/xentrace', xentop: '/usr/sbin/xentop', xenpm: '/usr/sbin/xenpm' },
    commands: {
      '/usr/bin/perf --version': { stdout: 'perf version 6.1.76\n' },
      '/usr/sbin/xl info': {
        stdout: 'host                   : xen01\nrelease                : 6.1.0-18-amd64\nnr_cpus                : 8\n' +
          'max_cpu_id             : 7\nnr_nodes               : 1\ncores_per_socket       : 4\nthreads_per_core       : 2\n' +
          'cpu_mhz                : 2095.076\nvirt_caps              : pv hvm hvm_directio pv_directio hap shadow\nxen_version            : 4.17.3\n',
      },
      '/usr/sbin/xl list': {
        stdout: 'Name                                        ID   Mem VCPUs\tState\tTime(s)\n' +
          'Domain-0                                     0  4096     4     r-----     812.3\n' +
          'web01                                        1  2048     2     -b----     101.7\n' +
          'db01                                         2  8192     4     -b----     455.0\n',
      },
    },
  };
}

const libvirtCmdline = (name: string, smp: string): string[] =>
  ['/usr/bin/qemu-system-x86_64', '-name', `guest=${name},debug-threads=on`, '-S', '-machine', 'pc-q35-7.2,accel=kvm',
    '-smp', smp, '-m', '2048', '-uuid', '6e1f0c2a-0000-4000-8000-000000000001'];
const scope = (id: number, name: string): string => `0::/machine.slice/machine-qemu\\x2d${id}\\x2d${name}.scope/libvirt/emulator\n`;
const zone = (z: string, name: string, uj: string | null, range: string): Record<string, string | null> => ({
  [`/sys/class/powercap/${z}/name`]: `${name}\n`,
  [`/sys/class/powercap/${z}/energy_uj`]: uj,
  [`/sys/class/powercap/${z}/max_energy_range_uj`]: `${range}\n`,
});

/**
 * A libvirt KVM host as root with perf_event_paranoid 2: 2 sockets × 4 cores × 2 threads with
 * Intel numbering (siblings 8 apart, sockets alternate in blocks of 4), a hardware PMU, RAPL
 * through powercap and perf, tracefs, the msr device, and two VMs with named threads:
 * web01 (2 vCPUs, an I/O thread and an in-process vhost worker) and db01 (4 vCPUs, an iothread
 * and a pre-6.4 vhost kernel thread).
 */
export function kvmLibvirt(options: { uid?: number } = {}): FakeHost {
  const uid = options.uid ?? 0;
  const energy = uid === 0 ? '123456789\n' : null;
  const block = (pkg: number): (readonly [number, number])[] => [0, 1, 2, 3].map((core) => [pkg, core] as const);
  return {
    files: {
      '/proc/self/status': `Name:\tnode\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\n`,
      '/proc/sys/kernel/hostname': 'kvm01\n',
      '/proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
      '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Silver 4208 CPU @ 2.10GHz\nflags\t\t: fpu vme de pse tsc msr vmx\n',
      '/dev/kvm': '',
      ...cpuTopologyFiles([...block(0), ...block(1), ...block(0), ...block(1)]),
      '/proc/sys/kernel/perf_event_paranoid': '2\n',
      ...pmuFiles({
        cpu: ['cycles', 'instructions'], breakpoint: [], software: [], tracepoint: [], uncore_imc_0: [],
        msr: ['tsc', 'aperf', 'mperf', 'smi'], power: ['energy-pkg', 'energy-pkg.scale', 'energy-pkg.unit', 'energy-ram', 'energy-ram.scale'],
      }),
      ...(uid === 0 ? tracefs(['sched/sched_switch', 'kvm/kvm_exit', 'kvm/kvm_entry']) : {}),
      ...zone('intel-rapl:0', 'package-0', energy, '262143328850'),
      ...zone('intel-rapl:0:0', 'core', energy, '262143328850'),
      ...zone('intel-rapl:0:1', 'dram', energy, '65712999613'),
      ...zone('intel-rapl:1', 'package-1', energy, '262143328850'),
      ...zone('intel-rapl:1:0', 'core', energy, '262143328850'),
      ...zone('intel-rapl:1:1', 'dram', energy, '65712999613'),
      '/sys/class/powercap/intel-rapl/enabled': '1\n',
      ...zone('intel-rapl-mmio:0', 'package-0', energy, '262143328850'),
      '/dev/cpu/0/msr': '',
      ...procFiles(1, 'systemd'),
      ...procFiles(812, 'sshd'),
      ...procFiles(4180, 'qemu-system-x86', { cmdline: libvirtCmdline('web01', '2,sockets=2,cores=1,threads=1'), uid: 64055, cgroup: scope(1, 'web01') }),
      ...taskFiles(4180, { 4180: 'qemu-system-x86', 4181: 'call_rcu', 4186: 'IO mon_iothread', 4187: 'CPU 0/KVM', 4188: 'CPU 1/KVM', 4190: 'vhost-4180' }),
      ...procFiles(5230, 'qemu-system-x86', { cmdline: libvirtCmdline('db01', '4'), uid: 64055, cgroup: scope(2, 'db01') }),
      ...taskFiles(5230, { 5230: 'qemu-system-x86', 5231: 'call_rcu', 5233: 'IO iothread1', 5236: 'CPU 0/KVM', 5237: 'CPU 1/KVM', 5238: 'CPU 2/KVM', 5239: 'CPU 3/KVM' }),
      ...procFiles(5250, 'vhost-5230'),
    },
    tools: { perf: '/usr/bin/perf', 'trace-cmd': '/usr/bin/trace-cmd', turbostat: '/usr/sbin/turbostat' },
    commands: {
      '/usr/bin/perf --version': { stdout: 'perf version 6.1.76\n' },
      '/usr/bin/perf stat -x, -e cycles true': { stderr: '1203455,,cycles,1203455,100.00,,\n' },
      dmesg: { stdout: '[    0.000000] tsc: Detected 2100.000 MHz processor\n[    1.712345] tsc: Refined TSC clocksource calibration: 2095.078 MHz\n' },
    },
  };
}

/**
 * The kvm-nested-2026-11-24 spike machine (README beside record-kvm-spike.sh): a Firecracker
 * guest with /dev/kvm from kvm_pvm, 2 AMD EPYC vCPUs, root, paranoid 2, perf 6.1 with only the
 * breakpoint/msr/software/tracepoint/uprobe PMUs (msr has tsc only), no powercap/hwmon, no
 * msr device (/dev/cpu/0 holds cpuid only), trace-cmd and turbostat installed, one QEMU
 * `spike-kvm` with debug-threads in its own cgroup-v2 group `kvmspike` (hybrid v1+v2 host,
 * perf_event on v2).
 */
export function kvmNested(): FakeHost {
  const qemu = ['qemu-system-x86_64', '-name', 'spike-kvm,debug-threads=on', '-smp', '2', '-m', '256', '-nographic', '-no-reboot',
    '-nodefaults', '-serial', 'stdio', '-net', 'none', '-vga', 'none', '-pidfile', '/tmp/kvmspike/final-kvm-20/qemu.pid',
    '-enable-kvm', '-cpu', 'host,-arch-capabilities', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-kernel', '/tmp/kvmspike/mini/mini.elf'];
  return {
    files: {
      ...root,
      '/proc/sys/kernel/hostname': 'spike\n',
      '/proc/sys/kernel/osrelease': '6.18.44-fc-v657\n',
      '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu vme de pse tsc msr hypervisor\n',
      '/dev/kvm': '',
      ...cpuTopologyFiles([[0, 0], [0, 1]]),
      '/proc/sys/kernel/perf_event_paranoid': '2\n',
      ...pmuFiles({ breakpoint: [], msr: ['tsc'], software: [], tracepoint: [], uprobe: [] }),
      ...tracefs(['sched/sched_switch', 'kvm/kvm_exit', 'kvm/kvm_entry', 'kvm/kvm_emulate_insn']),
      '/dev/cpu/0/cpuid': '',
      '/proc/mounts': 'sysfs /sys sysfs rw 0 0\ntmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n' +
        'cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0\ncgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0\n' +
        'cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n',
      '/sys/fs/cgroup/unified/kvmspike/cgroup.procs': '30539\n',
      ...procFiles(1, 'init'),
      ...procFiles(30466, 'bash'),
      ...procFiles(30539, 'qemu-system-x86', {
        cmdline: qemu, uid: 0, cgroup: '4:pids:/user.slice\n2:cpu:/\n1:name=systemd:/user.slice/user-0.slice/session-1.scope\n0::/kvmspike\n',
      }),
      ...taskFiles(30539, { 30539: 'qemu-system-x86', 30542: 'call_rcu', 30545: 'CPU 0/KVM', 30549: 'CPU 1/KVM' }),
      ...procFiles(30550, 'kvm-nx-lpage-re'),
    },
    tools: { perf: '/usr/bin/perf', 'trace-cmd': '/usr/bin/trace-cmd', turbostat: '/usr/sbin/turbostat' },
    commands: {
      '/usr/bin/perf --version': { stdout: 'perf version 6.1.192\n' },
      dmesg: { stdout: '[    0.000000] tsc: Detected 2596.140 MHz processor\n[    0.082630] tsc: Marking TSC unstable due to boot parameter\n' },
    },
  };
}

import type { CommandResult, HostEnv } from '../../src/record/host-env.js';

/** A host described as data: files (null = exists but unreadable), tools on PATH, command answers. */
export interface FakeHost {
  files: Record<string, string | null>;
  tools: Record<string, string>;
  /** Keyed by the command and its arguments joined with spaces (`/usr/sbin/xl info`). */
  commands: Record<string, Partial<CommandResult>>;
}

/** A `HostEnv` over a `FakeHost`; folders are implied by the file paths. */
export function fakeHostEnv(host: FakeHost): HostEnv {
  const paths = Object.keys(host.files);
  const below = (dir: string): string[] => paths.filter((p) => p.startsWith(`${dir}/`));
  return {
    readFile: async (path) => host.files[path] ?? undefined,
    listDir: async (path) => [...new Set(below(path).map((p) => p.slice(path.length + 1).split('/')[0]!))].sort(),
    exists: async (path) => path in host.files || below(path).length > 0,
    which: async (command) => host.tools[command],
    run: async (command, args) => {
      const answer = host.commands[[command, ...args].join(' ')];
      return answer === undefined ? { code: null, stdout: '', stderr: `${command}: not found` }
        : { code: 0, stdout: '', stderr: '', ...answer };
    },
  };
}

/** `/proc/<pid>` files of one process: comm, and optionally cmdline, status (uid) and cgroup. */
export function procFiles(pid: number, comm: string, more: { cmdline?: string[]; uid?: number; cgroup?: string } = {}):
  Record<string, string> {
  return {
    [`/proc/${pid}/comm`]: `${comm}\n`,
    ...(more.cmdline ? { [`/proc/${pid}/cmdline`]: `${more.cmdline.join('\0')}\0` } : {}),
    ...(more.uid !== undefined ? { [`/proc/${pid}/status`]: `Name:\t${comm}\nUid:\t${more.uid}\t${more.uid}\t${more.uid}\t${more.uid}\n` } : {}),
    ...(more.cgroup !== undefined ? { [`/proc/${pid}/cgroup`]: more.cgroup } : {}),
  };
}

/** `/proc/<pid>/task/<tid>/comm` of each thread. */
export function taskFiles(pid: number, threads: Record<number, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(threads).map(([tid, comm]) => [`/proc/${pid}/task/${tid}/comm`, `${comm}\n`]));
}

/** sysfs topology files of `cpus` (cpu → [package, core]). */
export function cpuTopologyFiles(cpus: readonly (readonly [number, number])[]): Record<string, string> {
  const files: Record<string, string> = { '/sys/devices/system/cpu/online': `0-${cpus.length - 1}\n` };
  cpus.forEach(([pkg, core], cpu) => {
    files[`/sys/devices/system/cpu/cpu${cpu}/topology/physical_package_id`] = `${pkg}\n`;
    files[`/sys/devices/system/cpu/cpu${cpu}/topology/die_id`] = '0\n';
    files[`/sys/devices/system/cpu/cpu${cpu}/topology/core_id`] = `${core}\n`;
  });
  return files;
}

/** PMU folders (`/sys/bus/event_source/devices/<pmu>/type`) and their event files. */
export function pmuFiles(pmus: Record<string, readonly string[]>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [pmu, events] of Object.entries(pmus)) {
    files[`/sys/bus/event_source/devices/${pmu}/type`] = '1\n';
    for (const e of events) files[`/sys/bus/event_source/devices/${pmu}/events/${e}`] = 'event=0x01\n';
  }
  return files;
}

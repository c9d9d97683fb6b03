/** Which part of a VM a libvirt sub-cgroup holds. */
export type CgroupPart =
  | { kind: 'vcpu' | 'iothread'; index: number }
  | { kind: 'emulator' }
  /** `libvirt/` itself or an unknown sub-cgroup: somewhere inside the VM. */
  | { kind: 'other' };

/** A cgroup path that names a libvirt QEMU machine. */
export interface VmCgroup {
  /** The libvirt domain name, `\xHH` escapes decoded. */
  vm: string;
  /** libvirt's domain id, when the path carries one (`machine-qemu\x2d3\x2dweb01.scope` → 3). */
  domid: number | undefined;
  /** The VM's own cgroup: the normalized path up to and including its machine component. */
  cgroup: string;
  /** The machine component as written, e.g. `machine-qemu\x2d3\x2dweb01.scope`. */
  component: string;
  /** The part a sub-cgroup holds (`libvirt/vcpu0`), or null for the VM's own cgroup. */
  part: CgroupPart | null;
}

/**
 * A cgroup path as perf `-G` takes it: without a `/proc/<pid>/cgroup` prefix
 * (`0::`, `4:perf_event:`), leading or trailing slashes. Escapes are kept.
 */
export function normalizeCgroup(text: string): string {
  return text.trim().replace(/^\d+:[^:/]*:/, '').replace(/^\/+|\/+$/g, '');
}

/** Decodes systemd's `\xHH` escapes (`web\x2d01` → `web-01`). */
export function unescapeSystemd(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// systemd machines (cgroup v2, or v1 name=systemd) and libvirt's own v1 layout; names decoded first
const SYSTEMD = /^machine-qemu-(?:(\d+)-)?(.+)\.scope$/;
const LIBVIRT_V1 = /^(?:qemu-(\d+)-)?(.+)\.libvirt-qemu$/;

/** The part named by the path below a VM's cgroup (`libvirt/vcpu3`, `emulator`, `iothread1`). */
export function cgroupPart(subpath: string): CgroupPart {
  const m = /^(?:libvirt\/)?(?:(vcpu|iothread)(\d+)|(emulator))$/.exec(subpath);
  if (!m) return { kind: 'other' };
  return m[3] ? { kind: 'emulator' } : { kind: m[1] as 'vcpu' | 'iothread', index: Number(m[2]) };
}

/**
 * The libvirt VM a cgroup path belongs to, or null when no component names one:
 * `machine.slice/machine-qemu\x2d3\x2dweb01.scope` → web01 (domid 3);
 * `/machine/qemu-3-web01.libvirt-qemu/vcpu1` → web01 (domid 3), vCPU 1;
 * `machine-qemu\x2dold.scope` (libvirt before ids) → old. A plain name (`kvmspike`) is null:
 * only the recording knows which VM it holds.
 */
export function decodeVmCgroup(path: string): VmCgroup | null {
  const parts = normalizeCgroup(path).split('/');
  for (let i = 0; i < parts.length; i++) {
    const component = parts[i]!;
    const m = SYSTEMD.exec(unescapeSystemd(component)) ?? LIBVIRT_V1.exec(unescapeSystemd(component));
    if (!m) continue;
    const sub = parts.slice(i + 1).join('/');
    return {
      vm: m[2]!,
      domid: m[1] === undefined ? undefined : Number(m[1]),
      cgroup: parts.slice(0, i + 1).join('/'),
      component,
      part: sub === '' ? null : cgroupPart(sub),
    };
  }
  return null;
}

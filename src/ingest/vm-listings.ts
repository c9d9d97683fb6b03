/** One row of a host thread listing. */
export interface ThreadRow {
  tid: number;
  comm: string;
  /** Process id, when the listing has a `pid`/`tgid` column. */
  pid: number | undefined;
  /** The thread's cgroup as listed (`0::/kvmspike`), when the listing has a `cgroup` column. */
  cgroup: string | undefined;
}

/**
 * A tab-separated thread listing with a header naming at least `tid` and `comm` (optionally
 * `pid`/`tgid` and `cgroup`), as a recording script writes from `/proc/<pid>/task/*`. Tabs
 * because thread names hold spaces (`CPU 0/KVM`). Null when the header does not fit; rows that
 * do not parse are left out.
 */
export function parseThreadListing(text: string): ThreadRow[] | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split('\t').map((h) => h.trim().toLowerCase()) ?? [];
  const col = (...names: string[]): number => header.findIndex((h) => names.includes(h));
  const [tid, comm, pid, cgroup] = [col('tid'), col('comm', 'name'), col('pid', 'tgid'), col('cgroup')];
  if (tid < 0 || comm < 0) return null;
  const rows: ThreadRow[] = [];
  for (const line of lines.slice(1)) {
    const f = line.split('\t');
    const id = Number(f[tid]);
    const p = pid < 0 ? undefined : Number(f[pid]);
    if (f.length !== header.length || !Number.isInteger(id) || id <= 0 || (p !== undefined && !Number.isInteger(p))) continue;
    rows.push({ tid: id, comm: f[comm]!, pid: p, cgroup: cgroup < 0 ? undefined : f[cgroup]!.trim() });
  }
  return rows;
}

/** One domain of `xl list`. */
export interface XlDomain {
  name: string;
  domid: number;
  vcpus: number;
}

/**
 * `xl list` (or `xm list`) output: `Name ID Mem VCPUs State Time(s)` — the one common listing
 * that pairs Xen domain names with domain ids. Null when the header does not fit.
 */
export function parseXlList(text: string): XlDomain[] | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!/^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time/.test(lines[0]?.trim() ?? '')) return null;
  const out: XlDomain[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const [id, , vcpus] = f.slice(-5).map(Number);
    if (!Number.isInteger(id) || !Number.isInteger(vcpus)) continue;
    out.push({ name: f.slice(0, -5).join(' '), domid: id!, vcpus: vcpus! });
  }
  return out;
}

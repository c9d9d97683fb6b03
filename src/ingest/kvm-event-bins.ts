import type { TraceSink } from './types.js';

interface VcpuBin {
  vm: string;
  vcpu: number;
  /** Index of the open bin (t0 = bin × width). */
  bin: number;
  counts: Map<string, number>;
}

/** `samples.entity` of a KVM vCPU: `<vm>/vcpu<index>` (e.g. `web01/vcpu0`). */
export function kvmVcpuEntity(vm: string, vcpu: number): string {
  return `${vm}/vcpu${vcpu}`;
}

/**
 * Counts KVM tracepoint events per vCPU in fixed bins of trace time (default 1 s) and writes each
 * bin as `samples` rows: scope `vcpu`, entity `<vm>/vcpu<n>`, cpu null, value = events in
 * [t0, t1), enabled 1 (a tracepoint misses nothing while recording). Bins without an event of a
 * kind have no row: the count is 0, not missing. Events must arrive in time order; one bin per
 * vCPU is open at a time, so memory is O(vCPUs × event kinds).
 */
export class KvmEventBins {
  private readonly open = new Map<string, VcpuBin>();

  /** `binSeconds`: bin width in s; bins start at the trace start. */
  constructor(private readonly sink: TraceSink, readonly binSeconds = 1) {}

  /** One `event` of vCPU `vcpu` of `vm` at `t` s. */
  add(vm: string, vcpu: number, event: string, t: number): void {
    const bin = Math.floor(t / this.binSeconds);
    const key = `${vm}\u0000${vcpu}`;
    let b = this.open.get(key);
    if (!b) this.open.set(key, b = { vm, vcpu, bin, counts: new Map() });
    else if (bin !== b.bin) {
      this.flush(b, (b.bin + 1) * this.binSeconds);
      b.bin = bin;
    }
    b.counts.set(event, (b.counts.get(event) ?? 0) + 1);
  }

  /** Writes the open bins, the last one ending at `tEnd` s (the trace end). */
  end(tEnd: number): void {
    for (const b of this.open.values()) this.flush(b, Math.min((b.bin + 1) * this.binSeconds, tEnd));
    this.open.clear();
  }

  private flush(b: VcpuBin, t1: number): void {
    const entity = kvmVcpuEntity(b.vm, b.vcpu);
    const t0 = b.bin * this.binSeconds;
    for (const [event, n] of b.counts) this.sink.sample(t0, t1, 'vcpu', entity, null, event, n, 1);
    b.counts.clear();
  }
}

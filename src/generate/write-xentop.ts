import { join } from 'node:path';
import { ChunkWriter } from './chunk-writer.js';
import type { GenContext } from './context.js';
import type { TickFrame } from './frame.js';
import { IntervalRecorder } from './interval-recorder.js';
import type { FileSummary, Recorder } from './recorder.js';
import { Rng } from './rng.js';
import { SampleClock, type Sample } from './sample-clock.js';

const header = '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) '
  + 'VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID\n';
/** Host memory for the MEM(%) column, KiB. */
const hostMemKiB = 64 * 1024 * 1024;
/** Share of a VM's block requests that are reads. */
const readShare = 0.6;

/**
 * `xentop -b -d <s>` (TRACE-FORMATS.md §4.5): per iteration the header and one line per domain
 * (dom0 first), with cumulative CPU seconds (whole seconds, as xentop prints them), CPU % over
 * the last delay (0.0 in the first iteration) and each guest's block I/O as cumulative VBD
 * requests and 512-byte sectors — the per-VM I/O signal for attributing dom0's backend work.
 */
class XentopRecorder extends IntervalRecorder implements Recorder {
  private readonly cpuUs: Float64Array;
  private readonly names: string[];
  private readonly vcpus: number[];
  private prevNs = 0;
  private startNs = 0;
  private rows = 0;
  /** Cumulative requests per VM printed in the first and the latest iteration. */
  private readonly firstOps: number[] = [];
  private readonly lastOps: number[] = [];

  constructor(private readonly ctx: GenContext, readonly out: ChunkWriter, private readonly file: string, clock: SampleClock) {
    const { cast, scenario } = ctx;
    const ofEntity = Int32Array.from(cast.entities, (e) => (e.kind === 'dom0' ? 0 : e.kind === 'vcpu' ? e.vm + 1 : -1));
    super(clock, { count: cast.vms.length + 1, ofEntity }, scenario.events.length, null, ctx.topo.sockets);
    this.cpuUs = new Float64Array(cast.vms.length + 1);
    this.names = ['Domain-0', ...cast.vms.map((v) => v.name)];
    this.vcpus = [scenario.dom0.vcpus, ...cast.vms.map((v) => v.vcpuEntities.length)];
  }

  protected onSample(sample: Sample, f: TickFrame): void {
    const first = sample.index === 0;
    const delayS = (sample.atNs - this.prevNs) / 1e9;
    if (first) this.startNs = sample.atNs;
    this.prevNs = sample.atNs;
    const opBytes = this.ctx.scenario.io.op_bytes;
    let text = header;
    this.names.forEach((name, d) => {
      this.cpuUs[d] = this.cpuUs[d]! + this.windowBusy[d]!;
      const pct = first ? 0 : (this.windowBusy[d]! / 1e6 / delayS) * 100;
      const state = this.windowBusy[d]! > 0 ? '-----r' : '--b---';
      const memK = d === 0 ? 4 * 1048576 : this.vcpus[d]! * 1048576;
      const ops = d === 0 ? 0 : Math.floor(f.ioOps[d - 1]!);
      if (first) this.firstOps[d] = ops;
      this.lastOps[d] = ops;
      const rd = Math.floor(ops * readShare);
      const wr = ops - rd;
      const sect = (n: number): number => Math.floor((n * opBytes) / 512);
      const maxmem = d === 0 ? '   no limit       n/a' : ` ${String(memK).padStart(10)} ${((100 * memK) / hostMemKiB).toFixed(1).padStart(9)}`;
      text += `${name.slice(0, 10).padStart(10)} ${state} ${String(Math.floor(this.cpuUs[d]! / 1e6)).padStart(10)} ` +
        `${pct.toFixed(1).padStart(6)} ${String(memK).padStart(10)} ${((100 * memK) / hostMemKiB).toFixed(1).padStart(6)}` +
        `${maxmem} ${String(this.vcpus[d]).padStart(5)}    0        0        0 ${String(d === 0 ? 0 : 1).padStart(4)}` +
        `        0 ${String(rd).padStart(8)} ${String(wr).padStart(8)} ${String(sect(rd)).padStart(10)} ` +
        `${String(sect(wr)).padStart(10)}    0\n`;
    });
    this.rows += this.names.length;
    this.out.push(text);
  }

  async finish(): Promise<FileSummary> {
    await this.out.close();
    const delay = this.ctx.scenario.recorders.xentop_interval_ms / 1000;
    return {
      file: this.file, format: 'xentop', bytes: this.out.written, rows: this.rows,
      command: `xentop -b -d ${delay} > ${this.file}`,
      start_seconds: this.startNs / 1e9, end_seconds: this.prevNs / 1e9,
      io_ops: Object.fromEntries(this.names.slice(1).map((n, v) => [n, this.lastOps[v + 1]! - this.firstOps[v + 1]!])),
      bundle: { interval_seconds: delay },
    };
  }
}

/** Opens `<dir>/<file>` and returns the xentop batch recorder. */
export async function createXentopRecorder(ctx: GenContext, dir: string, file: string): Promise<Recorder> {
  const rng = new Rng(ctx.seed, 'xentop-clock');
  const clock = new SampleClock(rng, {
    startNs: Math.round(rng.between(5e6, 20e6)), endNs: ctx.durationUs * 1000,
    intervalNs: Math.round(ctx.scenario.recorders.xentop_interval_ms * 1e6), drift: rng.between(1e-4, 1e-3),
    jitterNs: 1e6, energyDelayNs: [0, 0],
  });
  return new XentopRecorder(ctx, await ChunkWriter.create(join(dir, file)), file, clock);
}

import { join } from 'node:path';
import { ChunkWriter } from './chunk-writer.js';
import type { GenContext } from './context.js';
import type { TickFrame } from './frame.js';
import type { FileSummary, Recorder } from './recorder.js';
import {
  IDLE_DOMAIN, RUNSTATE_RUNNING, TRC_PM_FREQ_CHANGE, TRC_SCHED_CONTINUE_RUNNING, TRC_SCHED_SWITCH, XenRecordList, xenRecords,
} from './xen-records.js';

/** xenalyze's pseudo-domain of a pCPU before its first scheduling record. */
const DEFAULT_DOMAIN = 32768;
const runstateNames = ['running', 'runnable', 'blocked', 'offline'];

/**
 * `xenalyze --dump-all --cpu-hz=<tsc Hz>` of the xentrace file (TRACE-FORMATS.md §4.2; dump code
 * of tools/xentrace/xenalyze.c): every record of all pCPUs merged by TSC, one line each:
 * ` <%3u.%09u s since the first TSC, or 14 blanks at 0> <pCPU strip> d<dom>v<vcpu> <event>`.
 * The strip has one character per pCPU (`x` this record's, `|` running a guest, `-` idle, `.`
 * not yet scheduled, ` ` between the two runstate records of a switch); the `d…v…` is what the
 * record's pCPU ran before the record (`d?v?` in that gap). Times use xenalyze's own arithmetic,
 * `(Δtsc << 10) / ((hz << 10) / 10^9)`, truncated.
 */
class XenalyzeRecorder implements Recorder {
  readonly needsSwitches = true;
  private readonly records = new XenRecordList();
  private readonly curDom: Int32Array;
  private readonly curVcpu: Int32Array;
  private readonly strip: string[];
  private readonly firstTsc: bigint;
  private readonly qhz: bigint;
  private readonly order: number[] = [];
  private rows = 0;

  constructor(private readonly ctx: GenContext, readonly out: ChunkWriter, private readonly file: string) {
    const n = ctx.topo.cpus;
    this.curDom = new Int32Array(n).fill(DEFAULT_DOMAIN);
    this.curVcpu = Int32Array.from({ length: n }, (_, p) => p);
    this.strip = new Array<string>(n).fill('.');
    const hz = BigInt(ctx.scenario.tsc_hz);
    this.qhz = (hz << 10n) / 1_000_000_000n;
    this.firstTsc = BigInt(Math.round(ctx.scenario.boot_uptime_seconds * ctx.scenario.tsc_hz));
  }

  private header(tsc: number, p: number): string {
    const ns = ((BigInt(tsc) - this.firstTsc) << 10n) / this.qhz;
    let time = '              ';
    if (ns > 0n) {
      const s = ns / 1_000_000_000n;
      time = `${String(s).padStart(3)}.${String(ns - s * 1_000_000_000n).padStart(9, '0')}`;
    }
    const saved = this.strip[p]!;
    this.strip[p] = 'x';
    const strip = this.strip.join('');
    this.strip[p] = saved;
    const cur = this.curDom[p]! < 0 ? 'd?v?' : `d${this.curDom[p]}v${this.curVcpu[p]}`;
    return ` ${time} ${strip} ${cur}`;
  }

  private setCurrent(p: number, dom: number, vcpu: number): void {
    this.curDom[p] = dom;
    this.curVcpu[p] = vcpu;
    this.strip[p] = dom < 0 ? ' ' : dom === DEFAULT_DOMAIN ? '.' : dom === IDLE_DOMAIN ? '-' : '|';
  }

  tick(f: TickFrame): void {
    const r = this.records;
    xenRecords(this.ctx, f, r);
    const order = this.order;
    order.length = 0;
    for (let k = 0; k < r.n; k++) order.push(k);
    order.sort((a, b) => r.tsc[a]! - r.tsc[b]! || r.pcpu[a]! - r.pcpu[b]! || a - b);
    let text = '';
    for (const k of order) {
      const p = r.pcpu[k]!;
      const ev = r.event[k]!;
      const d = r.data[k]!;
      const hdr = this.header(r.tsc[k]!, p);
      if (ev === TRC_SCHED_SWITCH) {
        text += `${hdr} sched_switch prev d${d[0]}v${d[1]} next d${d[2]}v${d[3]}\n`;
      } else if (ev === TRC_PM_FREQ_CHANGE) {
        text += `${hdr} pm_freq_change o${d[0]} n${d[1]}\n`;
      } else {
        const dom = d[0]! >>> 16;
        const vcpu = d[0]! & 0xffff;
        const cont = ev === TRC_SCHED_CONTINUE_RUNNING;
        const from = cont ? RUNSTATE_RUNNING : (ev >> 8) & 0xf;
        const to = cont ? RUNSTATE_RUNNING : (ev >> 4) & 0xf;
        text += `${hdr} ${cont ? 'runstate_continue' : 'runstate_change'} d${dom}v${vcpu} ` +
          `${runstateNames[from]}->${runstateNames[to]}\n`;
        // xenalyze's vcpu_prev_update / vcpu_next_update: leaving "running" empties the pCPU, entering it fills it
        if (from === RUNSTATE_RUNNING && !cont) this.setCurrent(p, -1, -1);
        if (to === RUNSTATE_RUNNING) this.setCurrent(p, dom, vcpu);
      }
    }
    this.rows += r.n;
    if (text) this.out.push(text);
  }

  async finish(): Promise<FileSummary> {
    await this.out.close();
    return {
      file: this.file, format: 'xenalyze', bytes: this.out.written, rows: this.rows,
      command: `xenalyze --dump-all --cpu-hz=${this.ctx.scenario.tsc_hz} xentrace.bin > ${this.file}`,
      start_seconds: 0, end_seconds: this.ctx.durationUs / 1e6,
    };
  }
}

/** Opens `<dir>/<file>` and returns the xenalyze dump recorder. */
export async function createXenalyzeRecorder(ctx: GenContext, dir: string, file: string): Promise<Recorder> {
  return new XenalyzeRecorder(ctx, await ChunkWriter.create(join(dir, file)), file);
}

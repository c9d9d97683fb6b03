import { join } from 'node:path';
import { ChunkWriter } from './chunk-writer.js';
import type { GenContext } from './context.js';
import type { TickFrame } from './frame.js';
import type { FileSummary, Recorder } from './recorder.js';
import { TRC_TRACE_CPU_CHANGE, XenRecordList, xenRecords } from './xen-records.js';

/** A growable little-endian byte buffer of u32 words. */
class WordBuffer {
  bytes = new Uint8Array(4096);
  view = new DataView(this.bytes.buffer);
  length = 0;

  word(x: number): void {
    if (this.length + 4 > this.bytes.length) {
      const b = new Uint8Array(this.bytes.length * 2);
      b.set(this.bytes);
      this.bytes = b;
      this.view = new DataView(b.buffer);
    }
    this.view.setUint32(this.length, x >>> 0, true);
    this.length += 4;
  }
}

/**
 * `xentrace -D -e 0x0082f000 -T <s> FILE` (TRACE-FORMATS.md §4.1): records kept per pCPU and
 * written, every flush period, as one window per pCPU with data: a `TRC_TRACE_CPU_CHANGE` record
 * (`0x2001F003`, cpu, window bytes) followed by that pCPU's records in time order. A record is a
 * header word (event | n<<28 | 1<<31), the TSC (low word first) and n data words.
 */
class XentraceRecorder implements Recorder {
  readonly needsSwitches = true;
  private readonly buffers: WordBuffer[];
  private readonly records = new XenRecordList();
  private readonly flushUs: number;
  private nextFlush: number;
  private rows = 0;

  constructor(private readonly ctx: GenContext, readonly out: ChunkWriter, private readonly file: string) {
    this.buffers = Array.from({ length: ctx.topo.cpus }, () => new WordBuffer());
    this.flushUs = Math.round(ctx.scenario.recorders.xentrace_flush_ms * 1000);
    this.nextFlush = this.flushUs;
  }

  tick(f: TickFrame): void {
    xenRecords(this.ctx, f, this.records);
    const r = this.records;
    for (let k = 0; k < r.n; k++) {
      const b = this.buffers[r.pcpu[k]!]!;
      const data = r.data[k]!;
      const tsc = r.tsc[k]!;
      b.word(r.event[k]! | (data.length << 28) | 0x80000000);
      b.word(tsc % 2 ** 32);
      b.word(Math.floor(tsc / 2 ** 32));
      for (const w of data) b.word(w);
    }
    this.rows += r.n;
    if (f.t0 + f.len >= this.nextFlush) {
      this.flush();
      this.nextFlush += this.flushUs;
    }
  }

  private flush(): void {
    this.buffers.forEach((b, cpu) => {
      if (b.length === 0) return;
      const head = new WordBuffer();
      head.word((TRC_TRACE_CPU_CHANGE | (2 << 28)) >>> 0);
      head.word(cpu);
      head.word(b.length);
      this.out.pushBytes(head.bytes.slice(0, head.length));
      this.out.pushBytes(b.bytes.slice(0, b.length));
      b.length = 0;
    });
  }

  async finish(): Promise<FileSummary> {
    this.flush();
    await this.out.close();
    const s = this.ctx.scenario;
    return {
      file: this.file, format: 'xentrace', bytes: this.out.written, rows: this.rows,
      command: `xentrace -D -e 0x0082f000 -T ${s.duration_seconds} ${this.file}`,
      start_seconds: 0, end_seconds: this.ctx.durationUs / 1e6,
    };
  }
}

/** Opens `<dir>/<file>` and returns the xentrace recorder. */
export async function createXentraceRecorder(ctx: GenContext, dir: string, file: string): Promise<Recorder> {
  return new XentraceRecorder(ctx, await ChunkWriter.create(join(dir, file)), file);
}

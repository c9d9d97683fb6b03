import { TraceParseError } from '../errors.js';
import { messages } from '../messages.js';

/** `TRC_TRACE_CPU_CHANGE`: framing record, data = pCPU, byte count of the window that follows. */
export const TRC_TRACE_CPU_CHANGE = 0x0001f003;
/** Highest pCPU number accepted (Xen's x86 NR_CPUS limit); anything above is corruption. */
export const MAX_PCPUS = 4096;

/**
 * Called once per record (CPU-change records excluded): its pCPU, 28-bit event id, TSC (NaN when
 * the record carries none), data words (`words[0..n-1]`, reused between calls) and byte offset.
 */
export type XentraceRecordHandler =
  (cpu: number, event: number, tsc: number, words: Uint32Array, n: number, offset: number) => void;

const TWO_32 = 2 ** 32;

/**
 * Incremental decoder of the xentrace binary layout (TRACE-FORMATS.md §4.1): little-endian
 * records `u32 header` (event bits 0–27, n extra words bits 28–30, TSC flag bit 31) [+ u64 TSC
 * as two u32, low first] + n × u32, grouped in per-pCPU windows opened by CPU-change records.
 * Keeps at most one partial record (< 40 bytes) between chunks.
 */
export class XentraceReader {
  private carry: Uint8Array = new Uint8Array(0);
  private carryOffset = 0;
  private cpu = -1;
  private readonly words = new Uint32Array(7);
  /** Bytes of the current window not yet read. */
  windowLeft = 0;
  /** Records decoded (CPU-change records excluded). */
  records = 0;
  /** CPU-change records seen. */
  windows = 0;

  /** `onWindow` is called with the pCPU of each CPU-change record. */
  constructor(private readonly file: string, private readonly onRecord: XentraceRecordHandler,
    private readonly onWindow: (cpu: number) => void = () => {}) {}

  /** Decodes the next chunk of the file. */
  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.carry.length > 0) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry, 0);
      buf.set(chunk, this.carry.length);
    }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const words = this.words;
    let p = 0;
    while (buf.length - p >= 4) {
      const header = view.getUint32(p, true);
      const event = header & 0x0fffffff;
      const n = (header >>> 28) & 7;
      const tscBytes = header >>> 31 ? 8 : 0;
      const size = 4 + tscBytes + 4 * n;
      if (buf.length - p < size) break;
      const tsc = tscBytes ? view.getUint32(p + 8, true) * TWO_32 + view.getUint32(p + 4, true) : NaN;
      for (let i = 0; i < n; i++) words[i] = view.getUint32(p + 4 + tscBytes + 4 * i, true);
      const offset = this.carryOffset + p;
      if (event === TRC_TRACE_CPU_CHANGE) this.openWindow(words, n, offset);
      else {
        if (this.cpu < 0) this.fail('xentrace.noCpuChange', messages.xenNoCpuChange(), offset);
        if (size > this.windowLeft) this.fail('xentrace.windowOverrun', messages.xenWindowOverrun(), offset);
        this.windowLeft -= size;
        this.records++;
        this.onRecord(this.cpu, event, tsc, words, n, offset);
      }
      p += size;
    }
    this.carry = buf.slice(p);
    this.carryOffset += p;
  }

  /** Bytes of an incomplete record left at the end of the file (0 when the file ended cleanly). */
  get leftover(): number {
    return this.carry.length;
  }

  private openWindow(words: Uint32Array, n: number, offset: number): void {
    if (n < 2) this.fail('xentrace.badCpuChange', messages.xenBadCpuChange(n), offset);
    if (this.windowLeft !== 0) this.fail('xentrace.windowOverrun', messages.xenWindowOverrun(), offset);
    if (words[0]! >= MAX_PCPUS) this.fail('xentrace.badCpu', messages.xenBadCpu(words[0]!), offset);
    this.cpu = words[0]!;
    this.windowLeft = words[1]!;
    this.windows++;
    this.onWindow(this.cpu);
  }

  private fail(code: string, message: string, offset: number): never {
    throw new TraceParseError(code, message, {
      context: { file: this.file, offset, expected: 'a xentrace record inside a CPU-change window' },
      hint: messages.hintXentraceCorrupt(),
    });
  }
}

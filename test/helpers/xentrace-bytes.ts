/** One xentrace record to encode: 28-bit event id, optional TSC, up to 7 data words. */
export interface XenRec {
  event: number;
  tsc?: number;
  data: readonly number[];
}

/** The u32 words of one record (header, [TSC low, TSC high], data), per TRACE-FORMATS.md §4.1. */
function recordWords(r: XenRec): number[] {
  const header = (r.event | (r.data.length << 28) | (r.tsc === undefined ? 0 : 0x80000000)) >>> 0;
  const tsc = r.tsc === undefined ? [] : [r.tsc % 2 ** 32, Math.floor(r.tsc / 2 ** 32)];
  return [header, ...tsc, ...r.data];
}

/** A xentrace file: per-pCPU windows, each opened by a CPU-change record (0x2001F003). */
export function xentraceBytes(windows: readonly (readonly [cpu: number, recs: readonly XenRec[]])[]): Uint8Array {
  const words: number[] = [];
  for (const [cpu, recs] of windows) {
    const body = recs.flatMap(recordWords);
    words.push(0x2001f003, cpu, body.length * 4, ...body);
  }
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return out;
}

/** Base TSC of the constructed scenario (10 s at 1 GHz). */
export const T0 = 10_000_000_000;

/**
 * The scenario shared by the xentrace, xentrace-format and xenalyze fixtures: pCPU 1 runs d2v1
 * from T0 and loses records at +5 ms (first_tsc +4 ms); pCPU 0 runs d1v0 from +1 ms, then d1v1
 * from +3.4 ms; windows interleave (pCPU 0 first although pCPU 1 holds the oldest TSC).
 */
export const scenario: readonly (readonly [number, readonly XenRec[]])[] = [
  [0, [
    { event: 0x2800a, tsc: T0 + 1_000_000, data: [32767, 0, 1, 0] },
    { event: 0x21101, tsc: T0 + 1_000_500, data: [0x00010000] },
    { event: 0x22006, tsc: T0 + 1_200_000, data: [1] },
  ]],
  [1, [
    { event: 0x2800a, tsc: T0, data: [32767, 1, 2, 1] },
    { event: 0x21101, tsc: T0 + 300, data: [0x00020001] },
  ]],
  [0, [
    { event: 0x2800a, tsc: T0 + 3_400_000, data: [1, 0, 1, 1] },
    { event: 0x21011, tsc: T0 + 3_400_300, data: [0x00010000] },
    { event: 0x21101, tsc: T0 + 3_400_600, data: [0x00010001] },
  ]],
  [1, [
    { event: 0x1f001, tsc: T0 + 5_000_000, data: [7, (1 << 16) | 2, (T0 + 4_000_000) % 2 ** 32, Math.floor((T0 + 4_000_000) / 2 ** 32)] },
    { event: 0x2800a, tsc: T0 + 6_000_000, data: [2, 1, 32767, 1] },
    { event: 0x21021, tsc: T0 + 6_000_300, data: [0x00020001] },
  ]],
];

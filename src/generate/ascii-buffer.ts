import type { ChunkWriter } from './chunk-writer.js';

/** ASCII bytes of a string (the generator's text is ASCII). */
export function ascii(text: string): Uint8Array {
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  return b;
}

/** ASCII of 00..99, two bytes each. */
const pairs = ascii(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));

/**
 * Text assembled straight into bytes, for the writers whose rows number in the billions: no
 * string per row, so no garbage. Full chunks are handed to a `ChunkWriter` (which owns them).
 */
export class AsciiBuffer {
  private buf: Uint8Array;
  private pos = 0;
  /** Chunks already on disk, ready for reuse (allocating a fresh MiB per chunk feeds the GC). */
  private readonly spare: Uint8Array[] = [];

  constructor(private readonly out: ChunkWriter, private readonly chunkBytes = 1 << 20) {
    this.buf = new Uint8Array(chunkBytes + 4096);
    out.onWritten = (chunk) => {
      if (chunk.buffer.byteLength === chunkBytes + 4096) this.spare.push(new Uint8Array(chunk.buffer));
    };
  }

  /** Makes room for `n` more bytes, passing the filled part on when needed. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.hand();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  /** Passes the filled part to the writer if a chunk has filled up (call between rows). */
  settle(): void {
    if (this.pos >= this.chunkBytes) this.hand();
  }

  /** Passes whatever is filled to the writer. */
  hand(): void {
    if (this.pos === 0) return;
    this.out.pushBytes(this.buf.subarray(0, this.pos));
    this.buf = this.spare.pop() ?? new Uint8Array(this.chunkBytes + 4096);
    this.pos = 0;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    // short pieces: a plain loop beats TypedArray.set's call overhead
    if (n < 48) for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** A non-negative whole number below 2^53 in decimal. */
  uint(n: number): void {
    this.room(16);
    if (n < 1e8) {
      this.small(n | 0, 0);
      return;
    }
    // split so each part fits int32 arithmetic
    const hi = Math.floor(n / 1e8);
    this.small(hi, 0);
    this.small((n - hi * 1e8) | 0, 8);
  }

  /** `x` < 10^8 in decimal, left-padded with zeros to `width` digits. */
  private small(x: number, width: number): void {
    let digits = x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 1e4 ? 4 : x < 1e5 ? 5 : x < 1e6 ? 6 : x < 1e7 ? 7 : 8;
    if (digits < width) digits = width;
    const buf = this.buf;
    let at = this.pos + digits;
    this.pos = at;
    // two digits per division
    while (digits >= 2) {
      const q = (x / 100) | 0;
      const r = (x - q * 100) * 2;
      buf[--at] = pairs[r + 1]!;
      buf[--at] = pairs[r]!;
      x = q;
      digits -= 2;
    }
    if (digits === 1) buf[--at] = 48 + x;
  }

  /** `%.2f` of a non-negative number. */
  fixed2(x: number): void {
    if (!(x >= 0 && x < 1e6)) {
      this.bytes(ascii(x.toFixed(2)));
      return;
    }
    this.room(16);
    const hundredths = Math.round(x * 100);
    const whole = (hundredths / 100) | 0;
    const frac = (hundredths - whole * 100) * 2;
    this.small(whole, 0);
    const buf = this.buf;
    buf[this.pos++] = 46;
    buf[this.pos++] = pairs[frac]!;
    buf[this.pos++] = pairs[frac + 1]!;
  }
}

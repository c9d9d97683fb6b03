/**
 * Seeded randomness for the generator. There is no global generator: every purpose (one VM's
 * workload, counter noise, perf's interval jitter, …) draws from its own stream, derived from
 * the run seed and the purpose's name, so adding a draw in one place never shifts another
 * (SimScript's "one RNG stream per variable").
 */

/** FNV-1a hash of a string (32 bits), to turn a purpose name into seed material. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3's 32-bit finaliser: a bijective mix with full avalanche. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Key of the stream `purpose` under run seed `seed` (32 bits). */
export function streamKey(seed: number, purpose: string): number {
  return mix32(hashString(purpose) ^ mix32(seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b9));
}

/**
 * Stateless uniform in [0, 1) for index `i` of the keyed stream `key`: used where a value must
 * be found again from its index alone (the jitter of RAPL update number i).
 */
export function hashUniform(key: number, i: number): number {
  const lo = i >>> 0;
  const hi = Math.floor(i / 2 ** 32) >>> 0;
  return mix32(mix32(key ^ lo) ^ Math.imul(hi + 0x6a09e667, 0x9e3779b9)) / 2 ** 32;
}

/** One random stream: xoshiro128** seeded by splitmix32 from the stream key. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  /** The stream `purpose` of run `seed`. */
  constructor(seed: number, purpose: string) {
    let s = streamKey(seed, purpose);
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      return mix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
  }

  /** Next 32 random bits as an unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.uint32() / 2 ** 32;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Zero-mean noise with unit variance from one uniform (cheap; for hot loops). */
  centred(): number {
    return (this.uniform() - 0.5) * 3.4641016151377544;
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    const u = 1 - this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const phi = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

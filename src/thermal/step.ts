import { zohDiscretise } from './expm.js';
import { buildRcNetwork, steadyState, type Neighbours, type RcNetwork, type ThermalParams } from './rc-network.js';
import { sparsify, type SparseNetwork } from './sparse-network.js';

/**
 * One package's RC network discretised exactly for a fixed tick: T' = Φ·T + Γ·P + γ with P the
 * power per node (cores, then heatsink) held over the tick.
 */
export interface DiscreteNetwork {
  nodes: number;
  /** Tick length, s. */
  dtSeconds: number;
  /** e^{A·dt}, nodes × nodes row-major. */
  phi: Float64Array;
  /** ∫₀^dt e^{Aτ}dτ · B, nodes × nodes row-major, K/W. */
  gamma: Float64Array;
  /** ∫₀^dt e^{Aτ}dτ · c, K per node: the ambient's pull over one tick. */
  offset: Float64Array;
}

/**
 * Discretises `net` for ticks of `dtSeconds` (zero-order hold, exact; any tick length is stable
 * because Φ = e^{A·dt} has spectral radius < 1 whenever the heatsink has a path to ambient).
 * The powers and the constant ambient term are the inputs of one augmented exponential.
 */
export function discretise(net: RcNetwork, dtSeconds: number): DiscreteNetwork {
  const n = net.nodes;
  const m = n + 1;
  const w = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    w[i * m + i] = net.invCapacitance[i]!;
    w[i * m + n] = net.c[i]!;
  }
  const { phi, gamma: g } = zohDiscretise(net.a, w, n, m, dtSeconds);
  const gamma = new Float64Array(n * n);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) gamma[i * n + j] = g[i * m + j]!;
    offset[i] = g[i * m + n]!;
  }
  return { nodes: n, dtSeconds, phi, gamma, offset };
}

/** Host layout for a stepper: packages of equal core count, cores numbered package-major. */
export interface ThermalLayout {
  packages: number;
  coresPerPackage: number;
  /** Touching cores within a package; defaults to a row (k ↔ k+1). */
  neighbours?: Neighbours;
}

/**
 * Advances core and heatsink temperatures one fixed tick at a time. Every package shares one
 * precomputed discretisation, applied in its sparse form (`sparsify`: a band of lateral
 * conduction plus the heatsink's even pull, about a third of Φ and Γ's entries for 32 default
 * cores at 1 ms); `step` allocates nothing, so it can run in the replay's hot loop.
 *
 * @example
 * const s = new ThermalStepper(defaultThermalParams, { packages: 1, coresPerPackage: 4 }, 0.01);
 * s.step(coreWatts, heatsinkWatts); // s.coreCelsius now holds the temperatures 10 ms later
 */
export class ThermalStepper {
  /** Core temperatures, °C, index package × coresPerPackage + core. Starts at ambient. */
  readonly coreCelsius: Float64Array;
  /** Heatsink temperatures, °C, by package. Starts at ambient. */
  readonly heatsinkCelsius: Float64Array;
  /** The dense discretisation; `step` uses its sparse form, which agrees to `sparseTolerance`. */
  readonly model: DiscreteNetwork;
  /**
   * Positions of Φ and Γ (of nodes², for one package) whose values `step` reads one by one:
   * the stored band entries plus the heatsink column. The rest enter through the row sums.
   */
  readonly storedEntries: number;
  readonly #net: RcNetwork;
  readonly #n: number;
  readonly #sparse: SparseNetwork;
  /** The new temperatures of one package, written back once every row is summed. */
  readonly #next: Float64Array;
  /** The same for the second package of a pair. */
  readonly #nextB: Float64Array;

  constructor(params: ThermalParams, readonly layout: ThermalLayout, dtSeconds: number) {
    const n = layout.coresPerPackage;
    this.#n = n;
    this.#net = buildRcNetwork(params, n, layout.neighbours);
    this.model = discretise(this.#net, dtSeconds);
    this.coreCelsius = new Float64Array(layout.packages * n).fill(params.ambientCelsius);
    this.heatsinkCelsius = new Float64Array(layout.packages).fill(params.ambientCelsius);
    this.#sparse = sparsify(this.model);
    this.storedEntries = this.#sparse.phi.length + n + 1;
    this.#next = new Float64Array(n + 1);
    this.#nextB = new Float64Array(n + 1);
  }

  /** Sets every package to its steady state under constant powers (indexed as in `step`). */
  settle(coreWatts: ArrayLike<number>, heatsinkWatts: ArrayLike<number>): void {
    const n = this.#n;
    for (let p = 0; p < this.layout.packages; p++) {
      const watts = new Float64Array(n + 1);
      for (let k = 0; k < n; k++) watts[k] = coreWatts[p * n + k]!;
      watts[n] = heatsinkWatts[p]!;
      const t = steadyState(this.#net, watts);
      this.coreCelsius.set(t.subarray(0, n), p * n);
      this.heatsinkCelsius[p] = t[n]!;
    }
  }

  /**
   * Advances one tick with `coreWatts` (W per core, same indexing as `coreCelsius`) and
   * `heatsinkWatts` (W per package: uncore and static power that heats the package as a whole)
   * held constant over it.
   */
  step(coreWatts: ArrayLike<number>, heatsinkWatts: ArrayLike<number>): void {
    // Two packages at a time share each load of the band (a third faster for the common
    // 2-socket host); an odd last package runs alone. Either way every row sums its head terms,
    // then its band left to right, so results do not depend on the pairing.
    const packages = this.layout.packages;
    let p = 0;
    for (; p + 2 <= packages; p += 2) this.#stepTwo(p, coreWatts, heatsinkWatts);
    if (p < packages) this.#stepOne(p, coreWatts, heatsinkWatts);
  }

  /** `step` for package `p` alone. */
  #stepOne(p: number, coreWatts: ArrayLike<number>, heatsinkWatts: ArrayLike<number>): void {
    const n = this.#n;
    const { rowStart, firstCore, phi, gamma, phiShift, gammaShift, phiSink, gammaSink, offset } = this.#sparse;
    const next = this.#next;
    const cores = this.coreCelsius;
    const base = p * n;
    let sumT = 0;
    let sumP = 0;
    for (let k = 0; k < n; k++) {
      sumT += cores[base + k]!;
      sumP += coreWatts[base + k]!;
    }
    const sinkT = this.heatsinkCelsius[p]!;
    const sinkP = heatsinkWatts[p]!;
    for (let i = 0; i <= n; i++) {
      let t = offset[i]! + phiShift[i]! * sumT + gammaShift[i]! * sumP + phiSink[i]! * sinkT + gammaSink[i]! * sinkP;
      const from = rowStart[i]!;
      const end = rowStart[i + 1]!;
      // Entry e of the row multiplies core firstCore + (e − from).
      const shift = base + firstCore[i]! - from;
      for (let e = from; e < end; e++) t += phi[e]! * cores[shift + e]! + gamma[e]! * coreWatts[shift + e]!;
      next[i] = t;
    }
    for (let k = 0; k < n; k++) cores[base + k] = next[k]!;
    this.heatsinkCelsius[p] = next[n]!;
  }

  /** `step` for packages `p` and `p + 1` together, summing exactly as `#stepOne` does for each. */
  #stepTwo(p: number, coreWatts: ArrayLike<number>, heatsinkWatts: ArrayLike<number>): void {
    const n = this.#n;
    const { rowStart, firstCore, phi, gamma, phiShift, gammaShift, phiSink, gammaSink, offset } = this.#sparse;
    const next = this.#next;
    const nextB = this.#nextB;
    const cores = this.coreCelsius;
    const a0 = p * n;
    const b0 = a0 + n;
    let sumTa = 0;
    let sumPa = 0;
    let sumTb = 0;
    let sumPb = 0;
    for (let k = 0; k < n; k++) {
      sumTa += cores[a0 + k]!;
      sumPa += coreWatts[a0 + k]!;
      sumTb += cores[b0 + k]!;
      sumPb += coreWatts[b0 + k]!;
    }
    const sinkTa = this.heatsinkCelsius[p]!;
    const sinkPa = heatsinkWatts[p]!;
    const sinkTb = this.heatsinkCelsius[p + 1]!;
    const sinkPb = heatsinkWatts[p + 1]!;
    for (let i = 0; i <= n; i++) {
      let ta = offset[i]! + phiShift[i]! * sumTa + gammaShift[i]! * sumPa + phiSink[i]! * sinkTa + gammaSink[i]! * sinkPa;
      let tb = offset[i]! + phiShift[i]! * sumTb + gammaShift[i]! * sumPb + phiSink[i]! * sinkTb + gammaSink[i]! * sinkPb;
      const from = rowStart[i]!;
      const end = rowStart[i + 1]!;
      const shift = firstCore[i]! - from;
      for (let e = from; e < end; e++) {
        const f = phi[e]!;
        const g = gamma[e]!;
        const ja = a0 + shift + e;
        const jb = b0 + shift + e;
        ta += f * cores[ja]! + g * coreWatts[ja]!;
        tb += f * cores[jb]! + g * coreWatts[jb]!;
      }
      next[i] = ta;
      nextB[i] = tb;
    }
    for (let k = 0; k < n; k++) {
      cores[a0 + k] = next[k]!;
      cores[b0 + k] = nextB[k]!;
    }
    this.heatsinkCelsius[p] = next[n]!;
    this.heatsinkCelsius[p + 1] = nextB[n]!;
  }
}

import { LuDecomposition, Matrix } from 'ml-matrix';

/**
 * Lumped thermal parameters of one package, the same for every core in it. SI units: J/K for
 * capacitances, W/K for conductances, °C for temperatures.
 */
export interface ThermalParams {
  /** Heat capacity of one core's silicon, J/K. */
  coreCapacitance: number;
  /** Conductance from one core through the interface material to the heatsink, W/K. */
  coreToHeatsink: number;
  /** Lateral conductance between two neighbouring cores, W/K. */
  coreToCore: number;
  /** Heat capacity of the heatsink (spreader, sink, convection layer), J/K. */
  heatsinkCapacitance: number;
  /** Conductance from the heatsink to the surrounding air, W/K. */
  heatsinkToAmbient: number;
  /** Air temperature around the heatsink, °C. */
  ambientCelsius: number;
}

/** Which cores of a package touch. Pairs of core indexes 0..cores−1. */
export type Neighbours = readonly (readonly [number, number])[];

/** Neighbour pairs of cores laid out in a row (k ↔ k+1), the default floorplan. */
export function rowNeighbours(cores: number): Neighbours {
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < cores; k++) out.push([k, k + 1]);
  return out;
}

/**
 * The continuous-time thermal system of one package: nodes 0..cores−1 are the cores, node
 * `cores` the heatsink, and dT/dt = A·T + B·P + c with P the power into each node (W).
 * A = −C⁻¹G (G the conductance Laplacian plus the heatsink's tie to ambient), B = C⁻¹ and
 * c = C⁻¹·g_ha·T_amb on the heatsink row.
 */
export interface RcNetwork {
  /** Nodes: cores + 1. */
  nodes: number;
  /** A, nodes × nodes row-major, 1/s. */
  a: Float64Array;
  /** Diagonal of B = C⁻¹, K/J per node. */
  invCapacitance: Float64Array;
  /** Constant term c, K/s per node (ambient heat flow into the heatsink). */
  c: Float64Array;
}

/** Builds the RC network of a package with `cores` cores; neighbours default to a row. */
export function buildRcNetwork(p: ThermalParams, cores: number, neighbours: Neighbours = rowNeighbours(cores)): RcNetwork {
  const nodes = cores + 1;
  const hs = cores;
  const g = new Float64Array(nodes * nodes);
  const tie = (i: number, j: number, conductance: number): void => {
    g[i * nodes + i]! += conductance;
    g[j * nodes + j]! += conductance;
    g[i * nodes + j]! -= conductance;
    g[j * nodes + i]! -= conductance;
  };
  for (let k = 0; k < cores; k++) tie(k, hs, p.coreToHeatsink);
  for (const [i, j] of neighbours) tie(i, j, p.coreToCore);
  g[hs * nodes + hs]! += p.heatsinkToAmbient;
  const invCapacitance = new Float64Array(nodes).fill(1 / p.coreCapacitance);
  invCapacitance[hs] = 1 / p.heatsinkCapacitance;
  const a = new Float64Array(nodes * nodes);
  for (let i = 0; i < nodes; i++) {
    for (let j = 0; j < nodes; j++) a[i * nodes + j] = -g[i * nodes + j]! * invCapacitance[i]!;
  }
  const c = new Float64Array(nodes);
  c[hs] = p.heatsinkToAmbient * p.ambientCelsius * invCapacitance[hs]!;
  return { nodes, a, invCapacitance, c };
}

/**
 * Steady-state temperatures (°C per node) under constant node powers `watts` (W per node):
 * the solution of G·T = P + g_ha·T_amb·e_hs, written as A·T + B·P + c = 0.
 */
export function steadyState(net: RcNetwork, watts: ArrayLike<number>): Float64Array {
  const n = net.nodes;
  // −A·T = B·P + c has the same solution as G·T = P + g_ha·T_amb·e_hs but needs only A, B, c.
  const rhs = Matrix.columnVector(Array.from({ length: n }, (_, i) => watts[i]! * net.invCapacitance[i]! + net.c[i]!));
  const minusA = Matrix.from1DArray(n, n, net.a.map((v) => -v));
  return Float64Array.from(new LuDecomposition(minusA).solve(rhs).to1DArray());
}

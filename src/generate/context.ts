import { buildCast, type Cast } from './entities.js';
import { RaplModel } from './rapl.js';
import { Rng } from './rng.js';
import type { Scenario } from './scenario.js';
import { hostTopology, type HostTopology } from './topology.js';

/** Everything the simulation and the writers share about one generation run. */
export interface GenContext {
  scenario: Scenario;
  seed: number;
  topo: HostTopology;
  cast: Cast;
  rapl: RaplModel;
  /** Length of the recording, µs. */
  durationUs: number;
  /** Simulation step, µs. */
  tickUs: number;
}

/** Builds the shared context of a run of `scenario` with `seed`. */
export function createContext(scenario: Scenario, seed: number): GenContext {
  const t = scenario.topology;
  return {
    scenario,
    seed,
    topo: hostTopology(t.sockets, t.cores_per_socket, t.threads_per_core),
    cast: buildCast(scenario, new Rng(seed, 'pids')),
    rapl: new RaplModel(scenario, seed),
    durationUs: Math.round(scenario.duration_seconds * 1e6),
    tickUs: Math.round(scenario.tick_ms * 1000),
  };
}

/** Names of the RAPL perf events, by domain index (§1.2.4). */
export const perfEnergyEvents = ['power/energy-pkg/', 'power/energy-cores/', 'power/energy-ram/'] as const;

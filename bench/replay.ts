/**
 * bench/replay: the replay engine's speed and memory.
 *
 *   node --import tsx bench/replay.ts [--seconds 60] [--tick 1ms] [--policy recorded|load-balance|pinned]
 *   node --import tsx bench/replay.ts --generated 10min [--scenario large]
 *
 * Default: a synthetic in-memory demand matrix for a 64-pCPU host (2 sockets × 32 cores, 16 VMs
 * × 8 vCPUs, 6 events, bursty demand with recorded placements), stepped through the engine with
 * the real thermal stepper, metrics and series. Prints core-ticks per second, the ratio of the
 * engine's time to a bare scan of the same columns (reading every demand value once), and the
 * peak RSS per run length (goal: flat).
 *
 * `--generated <duration>`: generates that much of the scenario (default `large`: 64 CPUs, with
 * its sched_switch recorder turned on) and ingests it into a temporary store; a child process then
 * replays it with `replay()` (the true package and core models, `--validate`) and reports the
 * same figures, the bare scan being a stream of the same residency and rate columns from the store.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from '../src/generate/rng.js';
import type { ScenarioInput } from '../src/generate/scenario.js';
import { recordedPolicy } from '../src/policies/recorded.js';
import { loadBalancePolicy } from '../src/policies/load-balance.js';
import { pinnedPolicy } from '../src/policies/pinned.js';
import { defaultGuestPolicy } from '../src/policies/default.js';
import { ParamSet } from '../src/policies/params.js';
import type { HostPolicy, VmInfo } from '../src/policies/types.js';
import { applyHostActions } from '../src/replay/actions.js';
import { setSlotRate, step, type TickInput } from '../src/replay/engine.js';
import { EngineState } from '../src/replay/engine-state.js';
import { RunMetrics } from '../src/replay/run-metrics.js';
import { SeriesFolder } from '../src/replay/series.js';
import { defaultThermalParams } from '../src/thermal/defaults.js';
import { ThermalStepper } from '../src/thermal/step.js';
import { parseDuration } from '../src/util/duration.js';

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    tick: { type: 'string', default: '1ms' },
    policy: { type: 'string', default: 'recorded' },
    generated: { type: 'string' },
    scenario: { type: 'string', default: 'large' },
    child: { type: 'boolean', default: false },
    store: { type: 'string' },
    truth: { type: 'string' },
  },
});
const tick = parseDuration(values.tick!);

/** One synthetic run in this process: returns engine seconds, scan seconds, ticks, pCPUs. */
function synthetic(seconds: number, policyName: string) {
  const sockets = 2;
  const coresPerSocket = 32;
  const P = sockets * coresPerSocket;
  const vms: VmInfo[] = [];
  const vcpuVm: number[] = [];
  for (let m = 0; m < 16; m++) {
    vms.push({ name: `vm${m}`, vcpus: Array.from({ length: 8 }, (_, k) => vcpuVm.length + k) });
    for (let k = 0; k < 8; k++) vcpuVm.push(m);
  }
  const V = vcpuVm.length;
  const layout = {
    tickSeconds: tick, pcpus: P, sockets, coresPerSocket,
    pcpuSocket: Int32Array.from({ length: P }, (_, p) => Math.floor(p / coresPerSocket)),
    pcpuCore: Int32Array.from({ length: P }, (_, p) => p), vms, vcpuVm: Int32Array.from(vcpuVm),
    initialPcpu: Int32Array.from(vcpuVm, (_, v) => v % P),
  };
  const events = ['cycles', 'instructions', 'cache-references', 'cache-misses', 'branch-instructions', 'branch-misses'];
  const weights = Float64Array.from([1.6e-9, 7.5e-10, 4e-9, 1.6e-8, 2e-10, 3e-9]);
  const thermal = new ThermalStepper(defaultThermalParams, { packages: sockets, coresPerPackage: coresPerSocket }, tick);
  const state = new EngineState({ layout, energy: { events, weights, staticWatts: 20 },
    migration: { seconds: 50e-6, warmupEvents: Float64Array.from([0, 0, 0, 16384, 0, 0]) } }, thermal);
  const rng = new Rng(1, 'bench');
  for (let j = 0; j < V; j++) {
    for (let e = 0; e < events.length; e++) setSlotRate(state, j, e, 2.4e9 * [1, 1.5, 0.01, 0.002, 0.3, 0.005][e]! * (0.5 + rng.uniform()));
  }
  const host: HostPolicy = policyName === 'pinned' ? pinnedPolicy() : policyName === 'load-balance' ? loadBalancePolicy() : recordedPolicy();
  const params = new ParamSet({});
  const init = host.init({
    name: policyName, tickSeconds: tick, pcpus: P, cores: P, sockets, pcpuSocket: layout.pcpuSocket, pcpuCore: layout.pcpuCore,
    vms, vcpus: V, vcpuVm: layout.vcpuVm, initialPcpu: layout.initialPcpu, limitC: 85, params, rng: (p) => new Rng(1, p),
  }) ?? [];
  applyHostActions(state, init, { kind: 'host', name: policyName, tick: -1 }, new Int32Array(V).fill(-1), true);
  const guests = vms.map((vm) => {
    const g = defaultGuestPolicy();
    g.init({ name: 'default', vm: vm.name, tickSeconds: tick, vcpus: 8, tasks: 9, balloonTask: 8, events, params, rng: (p) => new Rng(1, p) });
    return g;
  });
  const policies = { hostName: policyName, host, guestName: 'default', guests };
  // One block of demand (1 s), reused: bursty on/off per vCPU, each on a pCPU of its own socket half.
  const B = Math.round(1 / tick);
  const arrive = new Float64Array(B * V);
  const recorded = new Int32Array(B * V);
  for (let v = 0; v < V; v++) {
    let on = rng.uniform() < 0.5;
    let pcpu = rng.int(P);
    for (let k = 0; k < B; k++) {
      if (rng.uniform() < 0.02) on = !on;
      if (rng.uniform() < 0.001) pcpu = rng.int(P);
      arrive[k * V + v] = on ? tick * (0.3 + 0.7 * rng.uniform()) : 0;
      recorded[k * V + v] = on ? pcpu : -1;
    }
  }
  const arriveViews = Array.from({ length: B }, (_, k) => arrive.subarray(k * V, (k + 1) * V));
  const recordedViews = Array.from({ length: B }, (_, k) => recorded.subarray(k * V, (k + 1) * V));
  const metrics = new RunMetrics(state, { blockTicks: B, limitC: 85, coreNames: Array.from({ length: P }, (_, c) => `C${c}`), startSeconds: 0 });
  let rows = 0;
  const series = new SeriesFolder(state, { intervalTicks: B, startSeconds: 0, coreNames: Array.from({ length: P }, (_, c) => `C${c}`) },
    () => { rows++; });
  const ticks = Math.round(seconds / tick);
  const input: TickInput = { tick: 0, timeSeconds: 0, arriveSeconds: arriveViews[0]!, recordedPcpu: recordedViews[0]! };
  const t0 = performance.now();
  for (let t = 0; t < ticks; t++) {
    const k = t % B;
    input.tick = t;
    input.timeSeconds = t * tick;
    input.arriveSeconds = arriveViews[k]!;
    input.recordedPcpu = recordedViews[k]!;
    step(state, input, policies);
    metrics.record(t);
    series.record(t);
  }
  const engine = (performance.now() - t0) / 1000;
  const m = metrics.result();
  // The bare scan: every demand value and recorded pCPU of the same ticks read once.
  const s0 = performance.now();
  let sum = 0;
  for (let t = 0; t < ticks; t++) {
    const a = arriveViews[t % B]!;
    const r = recordedViews[t % B]!;
    for (let v = 0; v < V; v++) sum += a[v]! + r[v]!;
  }
  const scan = (performance.now() - s0) / 1000;
  return { engine, scan, ticks, pcpus: P, energy: m.metrics.energy_j, rows, checksum: sum };
}

function report(label: string, r: { engine: number; scan: number; ticks: number; pcpus: number }, rss: number): void {
  const coreTicks = (r.ticks * r.pcpus) / r.engine;
  console.log(`${label.padEnd(28)} ${r.ticks} ticks × ${r.pcpus} pCPUs in ${r.engine.toFixed(2)} s: ` +
    `${(coreTicks / 1e6).toFixed(2)} M core-ticks/s (${(r.ticks / r.engine / 1000).toFixed(1)} k ticks/s), ` +
    `engine/scan ${(r.engine / r.scan).toFixed(0)}×, peak RSS ${rss.toFixed(0)} MiB`);
}

/** Generates and ingests `duration` of the scenario, then replays it in a child process (its own peak RSS). */
async function generated(duration: number): Promise<void> {
  const { generate } = await import('../src/generate/generate.js');
  const { ingest } = await import('../src/ingest/ingest.js');
  const { openStore } = await import('../src/store/store.js');
  const { shippedScenarios } = await import('../src/generate/scenarios/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'vheat-bench-replay-'));
  try {
    const g0 = performance.now();
    // Replay needs the scheduling trace, which the benchmark scenario leaves out to stay small.
    const base = shippedScenarios[values.scenario!]!;
    const scenario: ScenarioInput = { ...base, recorders: { ...base.recorders, sched_switch: ['perf-script'] } };
    const gen = await generate({ scenario, outDir: join(dir, 'bundle'), durationSeconds: duration });
    const i0 = performance.now();
    const store = await openStore(join(dir, 'store.duckdb'));
    await ingest(store, [join(dir, 'bundle')]);
    store.close();
    console.log(`generated ${(gen.bytes / 2 ** 20).toFixed(0)} MiB in ${((i0 - g0) / 1000).toFixed(1)} s, ` +
      `ingested in ${((performance.now() - i0) / 1000).toFixed(1)} s`);
    const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--store', join(dir, 'store.duckdb'),
      '--truth', join(dir, 'bundle', 'truth.json'), '--tick', values.tick!, '--policy', values.policy!, '--generated', values.generated!],
    { encoding: 'utf8' });
    process.stdout.write(out.stdout + out.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The replay half of `--generated`: a bare scan of the demand columns, then `replay()` with `--validate`. */
async function replayStore(db: string, truthFile: string): Promise<void> {
  const { openStore } = await import('../src/store/store.js');
  const { replay } = await import('../src/replay/replay.js');
  const { selectTraces, readRecordedLayout, streamResidency, streamEventRates } = await import('../src/store/replay-data.js');
  const { replayModelFile } = await import('../test/helpers/replay-model.js');
  const truth = JSON.parse(readFileSync(truthFile, 'utf8'));
  const store = await openStore(db);
  const model = replayModelFile(truth.scenario.weights.package, truth.scenario.static_watts.package);
  const coreModel = { ...replayModelFile(truth.scenario.weights.core, truth.scenario.static_watts.core), domain: 'core' as const };
  const sel = await selectTraces(store, 'bundle');
  const layout = await readRecordedLayout(store, sel);
  const s0 = performance.now();
  let n = 0;
  for (const stream of [streamResidency(store, sel, layout.vms), streamEventRates(store, sel, layout.vms, model.terms.map((t) => t.event))]) {
    for await (const chunk of stream) n += chunk.rowCount;
  }
  const scan = (performance.now() - s0) / 1000;
  // The generator's true thermal network, so the run neither waits on nor depends on a thermal fit.
  const th = truth.scenario.thermal;
  const thermal = {
    coreCapacitance: th.core_capacitance_j_per_k, coreToHeatsink: th.core_to_heatsink_w_per_k, coreToCore: th.core_to_core_w_per_k,
    heatsinkCapacitance: th.heatsink_capacitance_j_per_k, heatsinkToAmbient: th.heatsink_to_ambient_w_per_k, ambientCelsius: th.ambient_celsius,
  };
  const r0 = performance.now();
  const result = await replay(store, { trace: 'bundle', model, coreModel, hostPolicy: values.policy, tickSeconds: tick, validate: true, thermal });
  const engine = (performance.now() - r0) / 1000;
  report(`generated ${values.scenario} ${values.generated}`, { engine, scan, ticks: result.run.ticks, pcpus: layout.pcpus }, peakRssMiB());
  const f = result.summary.fidelity!;
  console.log(`  bare scan: ${n} residency and rate rows in ${scan.toFixed(2)} s (engine/scan above is replay()/this scan)`);
  console.log(`  fidelity: energy ${f.energy?.intervals} intervals, total ${f.energy?.totalErrorPercent.toFixed(4)} %, ` +
    `RMSE ${f.energy?.rmseWatts.toFixed(2)} W, MAPE ${f.energy?.mapePercent.toFixed(2)} %; temps ${f.temps?.readings} readings, ` +
    `RMSE ${f.temps?.rmseCelsius.toFixed(2)} °C (max ${f.temps?.maxErrorCelsius.toFixed(2)})`);
  store.close();
}

if (values.store) {
  await replayStore(values.store, values.truth!);
} else if (values.generated) {
  await generated(parseDuration(values.generated));
} else if (values.child) {
  const r = synthetic(Number(values.seconds), values.policy!);
  report(`synthetic ${values.policy} ${values.seconds} s`, r, peakRssMiB());
} else {
  // Each length in a fresh process, so each peak RSS belongs to that run alone.
  const self = fileURLToPath(import.meta.url);
  for (const seconds of values.seconds ? [values.seconds] : ['15', '60']) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', '--seconds', seconds, '--tick', values.tick!,
      '--policy', values.policy!], { encoding: 'utf8' });
    process.stdout.write(out.stdout + out.stderr);
  }
}

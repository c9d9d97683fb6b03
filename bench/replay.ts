/**
 * bench/replay: the replay engine's speed and memory (issue 8's goals).
 *
 *   node --import tsx bench/replay.ts [--lengths 10min,60min] [--scenario large] [--tick 1ms] [--policy recorded]
 *                                     [--sweep-length 10min] [--sweep-jobs 4] [--duckdb-memory 64MB|off]
 *   node --import tsx bench/replay.ts --synthetic [--seconds 15,60] [--tick 1ms] [--policy recorded]
 *
 * Default: for each length, generates that much of the scenario (`large`: 64 CPUs, 24 VMs, with
 * its sched_switch recorder turned on), ingests it into a temporary store and, in a fresh child
 * process (so its peak RSS is its own), runs `replay()` with `--validate` (the true package and
 * core models and thermal network), then a bare scan: the same residency and rate columns
 * streamed from the store and every value read once. Prints core-ticks per second (wall and per
 * CPU-second: the machine is shared), replay time / scan time, and peak RSS per length (goal:
 * flat), once with DuckDB's defaults and once with its memory limit (and so its cache of the
 * blocks it has read, which grows with what a long replay streams) at `--duckdb-memory`. Then a
 * sweep of `--sweep-jobs` load-balance runs (seeds 1, 2, …) over a `--sweep-length` trace with
 * 1 and with 2 worker threads (`runSweep`), and the speed-up.
 * Goals: ≥ 50 M core-ticks/s, ≤ 3× the bare scan, ≥ 1.8× sweep speed-up, RSS flat in trace length.
 *
 * `--synthetic`: a synthetic in-memory demand matrix for a 64-pCPU host (2 sockets × 32 cores,
 * 16 VMs × 8 vCPUs, 6 events, bursty demand with recorded placements) stepped through the engine
 * with the real thermal stepper, metrics and series: the engine alone, no store. Then the same
 * ticks through the thermal step and the per-tick metrics only: what any tick costs whatever the
 * policies do, so the ceiling of the engine's speed with this thermal model and these metrics.
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
import type { ThermalParams } from '../src/thermal/rc-network.js';
import { ThermalStepper } from '../src/thermal/step.js';
import { parseDuration } from '../src/util/duration.js';

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const { values } = parseArgs({
  options: {
    synthetic: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '15,60' },
    lengths: { type: 'string', default: '10min,60min' },
    tick: { type: 'string', default: '1ms' },
    policy: { type: 'string', default: 'recorded' },
    scenario: { type: 'string', default: 'large' },
    'sweep-length': { type: 'string', default: '10min' },
    'sweep-jobs': { type: 'string', default: '4' },
    'duckdb-memory': { type: 'string', default: '64MB' },
    // internal: what a child process runs
    child: { type: 'string' },
    store: { type: 'string' },
    truth: { type: 'string' },
  },
});
const tick = parseDuration(values.tick!);
const self = fileURLToPath(import.meta.url);

/** CPU seconds this process has used (user + system): less disturbed than wall time on a shared machine. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Runs this file again as a child with `args`, echoing its output (each child's peak RSS is its own). */
function child(args: string[]): void {
  const out = spawnSync(process.execPath, ['--import', 'tsx', self, '--tick', values.tick!, '--policy', values.policy!, ...args],
    { encoding: 'utf8' });
  process.stdout.write(out.stdout + out.stderr);
}

/** One synthetic run in this process: returns engine seconds (wall and CPU), scan seconds, ticks, pCPUs. */
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
  const c0 = cpuSeconds();
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
  const cpu = cpuSeconds() - c0;
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
  // What every tick costs whatever the policies and demand: the thermal step and the per-tick metrics.
  const floorMetrics = new RunMetrics(state, { blockTicks: B, limitC: 85, coreNames: Array.from({ length: P }, (_, c) => `C${c}`), startSeconds: 0 });
  const f0 = performance.now();
  for (let t = 0; t < ticks; t++) {
    thermal.step(state.coreWatts, state.heatsinkWatts);
    floorMetrics.record(t);
  }
  const floor = (performance.now() - f0) / 1000;
  return { engine, cpu, scan, floor, ticks, pcpus: P, energy: m.metrics.energy_j, rows, checksum: sum };
}

function report(label: string, r: { engine: number; cpu: number; scan: number; ticks: number; pcpus: number }, rss: number): void {
  const coreTicks = r.ticks * r.pcpus;
  console.log(`${label.padEnd(24)} ${r.ticks} ticks × ${r.pcpus} pCPUs in ${r.engine.toFixed(2)} s: ` +
    `${(coreTicks / r.engine / 1e6).toFixed(2)} M core-ticks/s (${(coreTicks / r.cpu / 1e6).toFixed(2)} M per CPU-s), ` +
    `replay/scan ${(r.engine / r.scan).toFixed(1)}×, peak RSS ${rss.toFixed(0)} MiB`);
}

/** Generates `seconds` of the scenario with its sched_switch recorder and ingests it into `dir`/store.duckdb. */
async function generateStore(dir: string, seconds: number): Promise<{ db: string; truth: string }> {
  const { generate } = await import('../src/generate/generate.js');
  const { ingest } = await import('../src/ingest/ingest.js');
  const { openStore } = await import('../src/store/store.js');
  const { shippedScenarios } = await import('../src/generate/scenarios/index.js');
  const g0 = performance.now();
  // Replay needs the scheduling trace, which the benchmark scenario leaves out to stay small.
  const base = shippedScenarios[values.scenario!]!;
  const scenario: ScenarioInput = { ...base, recorders: { ...base.recorders, sched_switch: ['perf-script'] } };
  const gen = await generate({ scenario, outDir: join(dir, 'bundle'), durationSeconds: seconds });
  const i0 = performance.now();
  const db = join(dir, 'store.duckdb');
  const store = await openStore(db);
  await ingest(store, [join(dir, 'bundle')]);
  store.close();
  console.log(`${values.scenario} ${seconds / 60} min: generated ${(gen.bytes / 2 ** 20).toFixed(0)} MiB in ` +
    `${((i0 - g0) / 1000).toFixed(1)} s, ingested in ${((performance.now() - i0) / 1000).toFixed(1)} s`);
  return { db, truth: join(dir, 'bundle', 'truth.json') };
}

/** The replay options of a generated store: its true package and core models and thermal network. */
async function generatedOptions(truthFile: string) {
  const { replayModelFile } = await import('../test/helpers/replay-model.js');
  const truth = JSON.parse(readFileSync(truthFile, 'utf8'));
  const th = truth.scenario.thermal;
  return {
    model: replayModelFile(truth.scenario.weights.package, truth.scenario.static_watts.package),
    coreModel: { ...replayModelFile(truth.scenario.weights.core, truth.scenario.static_watts.core), domain: 'core' as const },
    // The generator's true thermal network, so the run neither waits on nor depends on a thermal fit.
    thermal: {
      coreCapacitance: th.core_capacitance_j_per_k, coreToHeatsink: th.core_to_heatsink_w_per_k, coreToCore: th.core_to_core_w_per_k,
      heatsinkCapacitance: th.heatsink_capacitance_j_per_k, heatsinkToAmbient: th.heatsink_to_ambient_w_per_k,
      ambientCelsius: th.ambient_celsius,
    } as ThermalParams,
  };
}

/** Child: `replay()` with `--validate`, then the bare scan of the same columns; one report line. */
async function replayChild(db: string, truthFile: string, label: string, memoryLimit: string | undefined): Promise<void> {
  const { openStore } = await import('../src/store/store.js');
  const { replay } = await import('../src/replay/replay.js');
  const { readRecordedLayout, streamResidency, streamEventRates } = await import('../src/store/replay-data.js');
  const { selectRecording } = await import('../src/store/select-recording.js');
  const { model, coreModel, thermal } = await generatedOptions(truthFile);
  const store = await openStore(db, { readOnly: true, ...(memoryLimit ? { memoryLimit } : {}) });
  const c0 = cpuSeconds();
  const r0 = performance.now();
  const result = await replay(store, { trace: 'bundle', model, coreModel, hostPolicy: values.policy, tickSeconds: tick, validate: true, thermal, save: false });
  const engine = (performance.now() - r0) / 1000;
  const cpu = cpuSeconds() - c0;
  // Where the memory is after the replay: DuckDB's cached blocks (bounded by its memory limit) and the JS heap.
  const duckdb = await store.memoryUsage();
  const heap = process.memoryUsage().heapUsed;
  // The bare scan, after the replay (so both read a warm store): every value of the demand columns once.
  const sel = await selectRecording(store, 'bundle');
  const layout = await readRecordedLayout(store, sel);
  const s0 = performance.now();
  let rows = 0;
  let checksum = 0;
  for (const stream of [streamResidency(store, sel, layout.vms), streamEventRates(store, sel, layout.vms, model.terms.map((t) => t.event))]) {
    for await (const chunk of stream) {
      rows += chunk.rowCount;
      for (const column of Object.values(chunk.columns)) for (let i = 0; i < chunk.rowCount; i++) {
          const x = Number(column[i]);
          if (Number.isFinite(x)) checksum += x;
        }
    }
  }
  const scan = (performance.now() - s0) / 1000;
  report(label, { engine, cpu, scan, ticks: result.run.ticks, pcpus: layout.pcpus }, peakRssMiB());
  const f = result.summary.fidelity!;
  console.log(`  bare scan: ${rows} residency and rate rows in ${scan.toFixed(2)} s (checksum ${checksum.toPrecision(6)}); ` +
    `fidelity: energy ${f.energy?.intervals} intervals, total ${f.energy?.totalErrorPercent.toFixed(4)} %, ` +
    `RMSE ${f.energy?.rmseWatts.toFixed(2)} W; temps ${f.temps?.readings} readings, RMSE ${f.temps?.rmseCelsius.toFixed(2)} °C`);
  console.log(`  after the replay: DuckDB buffers ${(duckdb.bufferBytes / 2 ** 20).toFixed(1)} MiB ` +
    `(spilled ${(duckdb.temporaryBytes / 2 ** 20).toFixed(1)} MiB), JS heap ${(heap / 2 ** 20).toFixed(1)} MiB`);
  store.close();
}

/** Child: the same sweep with 1 and with 2 worker threads; prints both times and the speed-up. */
async function sweepChild(db: string, truthFile: string): Promise<void> {
  const { openStore } = await import('../src/store/store.js');
  const { runSweep } = await import('../src/replay/sweep.js');
  const { thermalFromSpec } = await import('../src/replay/thermal-choice.js');
  const { model, coreModel, thermal } = await generatedOptions(truthFile);
  const store = await openStore(db);
  const shared = { thermal: thermalFromSpec(thermal), recordingNotes: [] };
  const jobs = Array.from({ length: Number(values['sweep-jobs']) }, (_, index) => ({
    index, shared, options: { trace: 'bundle', model, coreModel, hostPolicy: 'load-balance', seed: index + 1, tickSeconds: tick, thermal },
  }));
  const seconds: number[] = [];
  let ticks = 0;
  for (const workers of [1, 2]) {
    const t0 = performance.now();
    const results = await runSweep(store, jobs, { workers });
    seconds.push((performance.now() - t0) / 1000);
    ticks = results.reduce((n, r) => n + r.run.ticks, 0);
  }
  console.log(`sweep of ${jobs.length} load-balance runs (${ticks} ticks): 1 worker ${seconds[0]!.toFixed(1)} s, ` +
    `2 workers ${seconds[1]!.toFixed(1)} s: speed-up ${(seconds[0]! / seconds[1]!).toFixed(2)}×`);
  store.close();
}

/** Main process: a store per length, a replay child per store, then the sweep. */
async function generatedBench(): Promise<void> {
  const lengths = values.lengths!.split(',').map((l) => l.trim());
  for (const length of [...lengths, `sweep:${values['sweep-length']}`]) {
    const dir = mkdtempSync(join(tmpdir(), 'vheat-bench-replay-'));
    try {
      const sweep = length.startsWith('sweep:');
      const seconds = parseDuration(sweep ? length.slice(6) : length);
      const { db, truth } = await generateStore(dir, seconds);
      if (sweep) child(['--child', 'sweep', '--store', db, '--truth', truth, '--sweep-jobs', values['sweep-jobs']!]);
      else {
        // Peak RSS with DuckDB's defaults (its block cache may fill 80 % of RAM), then with the cache capped.
        child(['--child', 'replay', '--store', db, '--truth', truth, '--lengths', length]);
        if (values['duckdb-memory'] !== 'off') {
          child(['--child', 'replay', '--store', db, '--truth', truth, '--lengths', length, '--duckdb-memory', values['duckdb-memory']!]);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (values.child === 'replay') {
  const capped = process.argv.includes('--duckdb-memory') ? values['duckdb-memory'] : undefined;
  await replayChild(values.store!, values.truth!, `${values.scenario} ${values.lengths} ${values.policy}${capped ? ` (DuckDB ${capped})` : ''}`,
    capped);
} else if (values.child === 'sweep') {
  await sweepChild(values.store!, values.truth!);
} else if (values.child === 'synthetic') {
  const r = synthetic(Number(values.seconds), values.policy!);
  report(`synthetic ${values.policy} ${values.seconds} s`, r, peakRssMiB());
  console.log(`  thermal step + per-tick metrics alone: ${(r.ticks * r.pcpus / r.floor / 1e6).toFixed(1)} M core-ticks/s ` +
    `(${(r.floor / r.ticks * 1e6).toFixed(2)} µs per tick: the ceiling of any engine with this model's per-tick thermal and metrics)`);
} else if (values.synthetic) {
  for (const seconds of values.seconds!.split(',')) child(['--child', 'synthetic', '--seconds', seconds.trim()]);
} else {
  await generatedBench();
}

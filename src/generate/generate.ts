import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BundleError } from '../errors.js';
import { readBundle } from '../ingest/bundle.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import { bundleJson } from './bundle-json.js';
import { createContext, type GenContext } from './context.js';
import type { Recorder } from './recorder.js';
import { parseScenario, type Scenario, type ScenarioInput } from './scenario.js';
import { shippedScenarios } from './scenarios/index.js';
import { simulate } from './simulate.js';
import { createPerfStatRecorder } from './write-perf-stat-csv.js';
import { createPowercapRecorder } from './write-powercap.js';
import { createSchedSwitchRecorder } from './write-sched-switch.js';
import { createTurbostatRecorder } from './write-turbostat.js';
import { createXenalyzeRecorder } from './write-xenalyze.js';
import { createXentopRecorder } from './write-xentop.js';
import { createXentraceRecorder } from './write-xentrace.js';
import { dom0BackendFile } from '../record/plan-xen.js';

export interface GenerateOptions {
  /** A shipped scenario name (`vheat generate --list`), the path of a scenario .json file, or a scenario object. */
  scenario: string | ScenarioInput;
  /** Folder the bundle is written to; created if missing. It must be empty or hold an earlier generated bundle. */
  outDir: string;
  /** Run seed; defaults to the scenario's `seed`. Same scenario and seed → byte-identical files. */
  seed?: number;
  /** Recording length in seconds, replacing the scenario's `duration_seconds`. */
  durationSeconds?: number;
  /** Called with the fraction done (0..1) about a hundred times. */
  onProgress?: (fraction: number) => void;
}

export interface GenerateResult {
  outDir: string;
  scenario: string;
  seed: number;
  durationSeconds: number;
  /** Every file written, bundle.json and truth.json last. */
  files: { name: string; format: string; bytes: number }[];
  bytes: number;
  elapsedSeconds: number;
}

/** One line per shipped scenario, for `vheat generate --list`. */
export interface ScenarioListing {
  name: string;
  description: string;
  hypervisor: 'xen' | 'kvm';
  durationSeconds: number;
  cpus: number;
  vms: number;
}

/** The shipped scenarios, in name order. */
export function listScenarios(): ScenarioListing[] {
  return Object.keys(shippedScenarios).sort().map((name) => {
    const s = parseScenario(shippedScenarios[name], name);
    return {
      name, description: s.description, hypervisor: s.hypervisor, durationSeconds: s.duration_seconds,
      cpus: s.topology.sockets * s.topology.cores_per_socket * s.topology.threads_per_core, vms: s.vms.length,
    };
  });
}

/** Resolves a scenario given by name, file path or value, with an optional duration override. */
export async function loadScenario(given: string | ScenarioInput, durationSeconds?: number): Promise<Scenario> {
  let value: unknown = given;
  let source = typeof given === 'string' ? given : given.name;
  if (typeof given === 'string') {
    if (given in shippedScenarios) value = shippedScenarios[given];
    else if (given.endsWith('.json')) {
      source = resolve(given);
      try {
        value = JSON.parse(await readFile(source, 'utf8'));
      } catch (e) {
        throw new BundleError('generate.scenarioFile', messages.scenarioUnreadable(given, (e as Error).message), {
          context: { file: given },
        });
      }
    } else {
      const known = Object.keys(shippedScenarios).sort();
      throw new BundleError('generate.unknownScenario', messages.unknownScenario(given, known), {
        hint: suggestSimilar(given, known) ?? 'vheat generate --list names them',
      });
    }
  }
  if (durationSeconds !== undefined) value = { ...(value as object), duration_seconds: durationSeconds };
  return parseScenario(value, source);
}

/** Refuses to write into a folder holding anything but an earlier generated bundle (whose files it replaces). */
async function prepareOutDir(dir: string): Promise<void> {
  let present: string[];
  try {
    await mkdir(dir, { recursive: true });
    present = (await readdir(dir)).filter((n) => !n.startsWith('.'));
  } catch (e) {
    throw new BundleError('generate.outDir', messages.outDirUnusable(dir, (e as Error).message), { context: { file: dir }, cause: e });
  }
  if (present.length === 0) return;
  const previous = present.includes('truth.json') ? await readBundle(dir).catch(() => undefined) : undefined;
  const ours = new Set(['bundle.json', 'truth.json', ...Object.keys(previous?.files ?? {})]);
  if (!previous || present.some((n) => !ours.has(n))) {
    throw new BundleError('generate.outDirNotEmpty', messages.outDirNotEmpty(dir), {
      context: { file: dir },
      hint: 'give an empty or new folder with --out',
    });
  }
  for (const n of present) await rm(join(dir, n), { force: true });
}

/** The recorders a scenario asks for, with their file names. */
async function createRecorders(ctx: GenContext, dir: string): Promise<Recorder[]> {
  const r = ctx.scenario.recorders;
  const out: Recorder[] = [];
  if (r.perf_cpu) out.push(await createPerfStatRecorder(ctx, 'cpu', dir, 'perf-stat-cpu.csv'));
  if (r.perf_thread) out.push(await createPerfStatRecorder(ctx, 'thread', dir, 'perf-stat-thread.csv'));
  if (r.perf_cgroup) out.push(await createPerfStatRecorder(ctx, 'cgroup', dir, 'perf-stat-cgroup.csv'));
  if (r.perf_backend) out.push(await createPerfStatRecorder(ctx, 'backend', dir, dom0BackendFile));
  for (const rendering of r.sched_switch) {
    out.push(await createSchedSwitchRecorder(ctx, rendering,
      dir, rendering === 'perf-script' ? 'sched-switch.perf-script.txt' : 'sched-switch.trace-cmd.txt'));
  }
  if (r.xentrace) out.push(await createXentraceRecorder(ctx, dir, 'xentrace.bin'));
  if (r.xenalyze) out.push(await createXenalyzeRecorder(ctx, dir, 'xenalyze.txt'));
  if (r.xentop) out.push(await createXentopRecorder(ctx, dir, 'xentop.txt'));
  if (r.turbostat) out.push(await createTurbostatRecorder(ctx, dir, 'turbostat.txt'));
  if (r.powercap) out.push(await createPowercapRecorder(ctx, dir, 'powercap.csv'));
  return out;
}

/**
 * Writes a synthetic recording bundle with known ground truth:
 *
 *   scenario ─(1) load + validate─▶ Scenario ─(2) context (topology, VMs, RAPL)
 *     ─(3) simulate: tick loop streaming every recorder's file
 *     ─(4) bundle.json + truth.json ─▶ GenerateResult
 *
 * The files are what perf, turbostat, a powercap reader, xentrace/xenalyze or perf script /
 * trace-cmd would have written on that host; truth.json holds every hidden parameter (see
 * truth.ts). Memory stays bounded whatever the duration.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  // 1. Scenario
  const scenario = await loadScenario(options.scenario, options.durationSeconds);
  const seed = options.seed ?? scenario.seed;
  // 2. Context
  const ctx = createContext(scenario, seed);
  const dir = resolve(options.outDir);
  await prepareOutDir(dir);
  // 3. Simulation
  const recorders = await createRecorders(ctx, dir);
  const { files, truth } = await simulate(ctx, recorders, options.onProgress);
  // 4. Descriptions
  const bundleText = `${JSON.stringify(bundleJson(ctx, files), null, 2)}\n`;
  const truthText = `${JSON.stringify(truth, null, 2)}\n`;
  await writeFile(join(dir, 'bundle.json'), bundleText);
  await writeFile(join(dir, 'truth.json'), truthText);
  const list = [
    ...files.map((f) => ({ name: f.file, format: f.format, bytes: f.bytes })),
    { name: 'bundle.json', format: 'bundle', bytes: Buffer.byteLength(bundleText) },
    { name: 'truth.json', format: 'truth', bytes: Buffer.byteLength(truthText) },
  ];
  return {
    outDir: dir, scenario: scenario.name, seed, durationSeconds: ctx.durationUs / 1e6, files: list,
    bytes: list.reduce((s, f) => s + f.bytes, 0), elapsedSeconds: (performance.now() - started) / 1000,
  };
}

import type { GenContext } from './context.js';
import { Segments, type TickFrame } from './frame.js';
import type { FileSummary, Recorder } from './recorder.js';
import { Rng } from './rng.js';
import { Scheduler } from './scheduler.js';
import { SwitchList, SwitchTracker } from './switch-events.js';
import { ThermalNetwork } from './thermal-truth.js';
import { TruthLedger } from './truth.js';
import { Workload } from './workload.js';

export interface SimulationResult {
  files: FileSummary[];
  truth: Record<string, unknown>;
}

/**
 * Runs the host tick by tick and lets every recorder watch:
 *
 *   workload phases ─(1) plan─▶ demand per entity ─(2) schedule─▶ segments (entity on pCPU)
 *     ─(3) ran─▶ blocks, I/O work ─(4) counts, energy─▶ (5) thermal ─(6) switches
 *     ─(7) truth + recorders (files) ─(8) advance clocks
 *
 * Per segment the true counts are `run µs × MHz × events-per-cycle × (1 + workload noise)`,
 * and its energy per domain is `Σ weight × scale(f) × count`; static power accrues per socket.
 * Memory does not grow with the duration: per-tick arrays are reused and files are streamed.
 */
export async function simulate(ctx: GenContext, recorders: Recorder[],
  onProgress?: (fraction: number) => void): Promise<SimulationResult> {
  const { scenario: s, topo, cast } = ctx;
  const ne = s.events.length;
  const nv = s.vms.length;
  const workload = new Workload(s, cast, ctx.seed);
  const scheduler = new Scheduler(cast, topo, s.scheduler.timeslice_ms * 1000);
  const tracker = recorders.some((r) => r.needsSwitches) ? new SwitchTracker(topo.cpus, cast.entities.length) : undefined;
  const thermal = new ThermalNetwork(s, topo);
  const truth = new TruthLedger(ctx);
  const variability = new Rng(ctx.seed, 'workload-variability');
  const sigma = s.noise.workload_relative;
  const cyclesIdx = s.events.indexOf('cycles');
  const weights = new Float64Array(3 * ne);
  (['package', 'core', 'dram'] as const).forEach((d, i) => s.events.forEach((e, k) => { weights[i * ne + k] = s.weights[d][e]!; }));
  const scale = new Float64Array(topo.sockets * 3).fill(1);
  const staticW = [s.static_watts.package, s.static_watts.core, s.static_watts.dram];
  const frame: TickFrame = {
    index: 0, t0: 0, len: ctx.tickUs, last: false,
    seg: new Segments(cast.entities.length, ne, nv),
    energyStart: new Float64Array(topo.sockets * 3),
    staticWatts: Float64Array.from({ length: topo.sockets * 3 }, (_, k) => staticW[k % 3]!),
    cpuSocket: topo.cpuSocket,
    freqMhz: new Float64Array(topo.sockets).fill(s.base_mhz),
    freqChanges: [],
    coreTemps: thermal.cores,
    heatsinkTemps: thermal.heatsinks,
    ioOps: workload.ioOps,
    switches: new SwitchList(),
  };
  const changes = [...s.frequency.changes].sort((a, b) => a.at_seconds - b.at_seconds);
  let nextChange = 0;
  const share = new Float64Array(nv + 1);
  const part = new Float64Array(ne + 3);
  /**
   * Draws the counts of `us` µs run at clock `mhz` with events per cycle `rates` (from `at`) and
   * workload noise, into `part` (events, then package/core/dram J before the clock's scale).
   */
  const draw = (us: number, mhz: number, rates: Float64Array, at: number): void => {
    const cycles = Math.round(us * mhz);
    let ep = 0;
    let ec = 0;
    let ed = 0;
    for (let x = 0; x < ne; x++) {
      let c = cycles;
      if (x !== cyclesIdx) {
        c = Math.round(cycles * rates[at + x]! * (1 + sigma * variability.centred()));
        if (c < 0) c = 0;
      }
      part[x] = c;
      ep += weights[x]! * c;
      ec += weights[ne + x]! * c;
      ed += weights[2 * ne + x]! * c;
    }
    part[ne] = ep;
    part[ne + 1] = ec;
    part[ne + 2] = ed;
  };
  const coreW = new Float64Array(topo.cores);
  const sinkW = new Float64Array(topo.sockets);
  // the host idled before the recording: start from the thermal steady state of static power
  const heat = (dt: number): void => {
    const perCore = s.static_watts.core / topo.coresPerSocket;
    coreW.fill(perCore);
    sinkW.fill(s.static_watts.package - s.static_watts.core);
    const seg = frame.seg;
    for (let k = 0; k < seg.n; k++) {
      const p = seg.pcpu[k]!;
      const core = topo.cpuCore[p]!;
      coreW[core] = coreW[core]! + seg.energy[k * 3 + 1]! / dt;
      sinkW[topo.cpuSocket[p]!] = sinkW[topo.cpuSocket[p]!]! + (seg.energy[k * 3]! - seg.energy[k * 3 + 1]!) / dt;
    }
  };
  heat(1);
  thermal.settle(coreW, sinkW);
  truth.start(thermal.cores);
  const ticks = Math.ceil(ctx.durationUs / ctx.tickUs);
  const progressEvery = Math.max(1, Math.floor(ticks / 100));
  for (let i = 0; i < ticks; i++) {
    const t0 = i * ctx.tickUs;
    const len = Math.min(ctx.tickUs, ctx.durationUs - t0);
    frame.index = i;
    frame.t0 = t0;
    frame.len = len;
    frame.last = i === ticks - 1;
    // 0. clock changes due now
    frame.freqChanges = [];
    while (nextChange < changes.length && changes[nextChange]!.at_seconds * 1e6 <= t0) {
      const c = changes[nextChange++]!;
      for (let k = 0; k < topo.sockets; k++) {
        if (c.socket !== undefined && c.socket !== k) continue;
        const ws = (c.mhz / s.base_mhz) ** s.frequency.voltage_exponent;
        frame.freqChanges.push({ socket: k, oldMhz: frame.freqMhz[k]!, newMhz: c.mhz });
        frame.freqMhz[k] = c.mhz;
        scale[k * 3] = ws;
        scale[k * 3 + 1] = ws;
        truth.frequency(t0, k, c.mhz, ws);
      }
    }
    // 1.–2. demand and placement
    workload.plan(len);
    const seg = frame.seg;
    scheduler.schedule(len, workload.ready, workload.want, seg);
    // 3.–4. what each run did; a dom0 run is its own work plus each VM's backend work, each
    // with its own event mix, so the backend share is a count a dom0 recorder can see
    const { counts, served, backendCounts, backendEnergy } = seg;
    for (let k = 0; k < seg.n; k++) {
      const e = seg.entity[k]!;
      const sock = topo.cpuSocket[seg.pcpu[k]!]!;
      const mhz = frame.freqMhz[sock]!;
      const run = seg.len[k]!;
      seg.blocked[k] = workload.ran(e, seg.start[k]!, run, len, share) ? 1 : 0;
      const dom0 = cast.entities[e]!.kind === 'dom0';
      draw(dom0 ? run * share[nv]! : run, mhz, workload.rates, e * ne);
      for (let x = 0; x < ne; x++) counts[k * ne + x] = part[x]!;
      for (let d = 0; d < 3; d++) seg.energy[k * 3 + d] = part[ne + d]! * scale[sock * 3 + d]!;
      for (let v = 0; v < nv; v++) {
        served[k * nv + v] = dom0 ? share[v]! : 0;
        const at = k * nv + v;
        if (!(served[at]! > 0)) {
          backendCounts.fill(0, at * ne, (at + 1) * ne);
          backendEnergy.fill(0, at * 3, at * 3 + 3);
          continue;
        }
        draw(run * served[at]!, mhz, workload.emulationRates, 0);
        for (let x = 0; x < ne; x++) {
          backendCounts[at * ne + x] = part[x]!;
          counts[k * ne + x] = counts[k * ne + x]! + part[x]!;
        }
        for (let d = 0; d < 3; d++) {
          backendEnergy[at * 3 + d] = part[ne + d]! * scale[sock * 3 + d]!;
          seg.energy[k * 3 + d] = seg.energy[k * 3 + d]! + backendEnergy[at * 3 + d]!;
        }
      }
    }
    // 5.–6. heat and switches
    const dt = len * 1e-6;
    heat(dt);
    thermal.step(dt, coreW, sinkW);
    tracker?.update(frame);
    // 7. books and files
    truth.account(frame);
    for (const r of recorders) r.tick(frame);
    for (const r of recorders) {
      const pending = r.out.settle();
      if (pending) await pending;
    }
    // 8. clocks move on
    for (let k = 0; k < seg.n; k++) {
      const base = topo.cpuSocket[seg.pcpu[k]!]! * 3;
      for (let d = 0; d < 3; d++) frame.energyStart[base + d] = frame.energyStart[base + d]! + seg.energy[k * 3 + d]!;
    }
    for (let k = 0; k < frame.energyStart.length; k++) {
      frame.energyStart[k] = frame.energyStart[k]! + frame.staticWatts[k]! * dt;
    }
    workload.advance(len);
    scheduler.commit(seg, len);
    if (onProgress && i % progressEvery === 0) onProgress(i / ticks);
  }
  const files: FileSummary[] = [];
  for (const r of recorders) files.push(await r.finish());
  onProgress?.(1);
  return { files, truth: truth.document(files, tracker?.openSpans() ?? [], workload.ioOps, thermal.cores) };
}

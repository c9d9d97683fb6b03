import { join } from 'node:path';
import { ChunkWriter } from './chunk-writer.js';
import type { GenContext } from './context.js';
import { domains } from './defaults.js';
import type { TickFrame } from './frame.js';
import { IntervalRecorder } from './interval-recorder.js';
import type { FileSummary, Recorder } from './recorder.js';
import { Rng } from './rng.js';
import { SampleClock, type Sample } from './sample-clock.js';
import { fixed2, micros } from './format.js';

/**
 * `turbostat --enable Time_Of_Day_Seconds --interval N --out FILE` (TRACE-FORMATS.md §2): a short
 * preamble, then per interval a TAB-separated header, the summary row (`-` topology; Watts
 * summed over packages, temperatures the maximum) and one row per CPU in topology order, ragged:
 * core columns (CoreTmp) only on a core's first thread, package columns (PkgTmp, PkgWatt,
 * CorWatt, RAMWatt) only on a package's first CPU. Each CPU row carries the time it was read;
 * the summary row has the last one. Watts = RAPL delta / time between summary rows.
 */
class TurbostatRecorder extends IntervalRecorder implements Recorder {
  private readonly header: string;
  private readonly cyclesIdx: number;
  private readonly instrIdx: number;
  private readonly prevRegisters: Float64Array;
  private readonly joules = new Float64Array(3);
  private readonly sensor: Rng;
  private readonly readGapUs: number;
  /** Summary-row time of the previous reading, µs. */
  private prevUs = 0;
  /** Counter read time of the previous reading, ns. */
  private prevAtNs = 0;
  private startUs = 0;
  private rows = 0;

  constructor(private readonly ctx: GenContext, readonly out: ChunkWriter, private readonly file: string, clock: SampleClock) {
    const used = ['cycles', 'instructions'].map((e) => ctx.scenario.events.indexOf(e)).filter((i) => i >= 0);
    super(clock, { count: ctx.topo.cpus, ofEntity: null, events: used }, ctx.scenario.events.length, ctx.rapl, ctx.topo.sockets);
    const s = ctx.scenario;
    this.cyclesIdx = s.events.indexOf('cycles');
    this.instrIdx = s.events.indexOf('instructions');
    const cols = ['Time_Of_Day_Seconds', ...(ctx.topo.sockets > 1 ? ['Package'] : []), 'Core', 'CPU', 'Avg_MHz', 'Busy%',
      'Bzy_MHz', 'TSC_MHz', ...(this.instrIdx >= 0 ? ['IPC'] : []), 'CoreTmp', 'PkgTmp', 'PkgWatt', 'CorWatt', 'RAMWatt'];
    this.header = `${cols.join('\t')}\n`;
    this.prevRegisters = new Float64Array(ctx.topo.sockets * 3);
    this.sensor = new Rng(ctx.seed, 'turbostat-sensor');
    this.readGapUs = Math.round(new Rng(ctx.seed, 'turbostat-gap').between(15, 40));
    this.out.push(preamble(ctx));
  }

  private dts(celsius: number): number {
    return Math.round(celsius + this.ctx.scenario.noise.sensor_celsius * this.sensor.normal());
  }

  protected onSample(sample: Sample, f: TickFrame): void {
    const { topo, scenario: s } = this.ctx;
    const atUs = Math.round(sample.atNs / 1000);
    if (sample.index === 0) {
      this.startUs = this.prevUs = atUs + (topo.cpus - 1) * this.readGapUs;
      this.prevAtNs = sample.atNs;
      this.prevRegisters.set(this.registers);
      return;
    }
    const lastUs = atUs + (topo.cpus - 1) * this.readGapUs;
    const dt = (lastUs - this.prevUs) / 1e6;
    const windowUs = (sample.atNs - this.prevAtNs) / 1000;
    this.prevUs = lastUs;
    this.prevAtNs = sample.atNs;
    const epochUs = s.start_epoch_seconds * 1e6;
    const tscMhz = String(Math.round(s.tsc_hz / 1e6));
    // per CPU
    const cpuCols: string[] = new Array<string>(topo.cpus);
    let sumMhz = 0;
    let sumBusy = 0;
    let sumBzy = 0;
    let sumIpc = 0;
    for (let c = 0; c < topo.cpus; c++) {
      const cycles = this.window[c * this.events + this.cyclesIdx]!;
      const busy = this.windowBusy[c]!;
      const avg = cycles / windowUs;
      const bzy = busy > 0 ? cycles / busy : f.freqMhz[topo.cpuSocket[c]!]!;
      const ipc = cycles > 0 && this.instrIdx >= 0 ? this.window[c * this.events + this.instrIdx]! / cycles : 0;
      sumMhz += avg;
      sumBusy += busy / windowUs;
      sumBzy += bzy;
      sumIpc += ipc;
      cpuCols[c] = `${Math.round(avg)}\t${fixed2((100 * busy) / windowUs)}\t${Math.round(bzy)}\t${tscMhz}` +
        `${this.instrIdx >= 0 ? `\t${fixed2(ipc)}` : ''}`;
    }
    // per package
    const watts: string[][] = [];
    const wattSum = [0, 0, 0];
    for (let p = 0; p < topo.sockets; p++) {
      watts.push(domains.map((_, d) => {
        const k = p * 3 + d;
        const w = ((this.registers[k]! - this.prevRegisters[k]!) * this.ctx.rapl.esuJoules[d]!) / dt;
        wattSum[d]! += w;
        const text = fixed2(w);
        // what a reader can rebuild: Watts × the time between summary rows (the nominal interval for the first)
        this.joules[d] = this.joules[d]! + Number(text) * (sample.index === 1 ? s.recorders.turbostat_interval_ms / 1000 : dt);
        return text;
      }));
    }
    this.prevRegisters.set(this.registers);
    const coreTmp = Array.from(f.coreTemps, (t) => this.dts(t));
    const pkgTmp = Array.from({ length: topo.sockets }, (_, p) => {
      let m = -Infinity;
      for (let k = 0; k < topo.coresPerSocket; k++) m = Math.max(m, f.coreTemps[p * topo.coresPerSocket + k]!);
      return this.dts(m);
    });
    const multi = topo.sockets > 1;
    const n = topo.cpus;
    const lines: string[] = [this.header];
    lines.push(`${micros(epochUs + lastUs)}\t${multi ? '-\t' : ''}-\t-\t${Math.round(sumMhz / n)}\t${fixed2((100 * sumBusy) / n)}\t` +
      `${Math.round(sumBzy / n)}\t${tscMhz}${this.instrIdx >= 0 ? `\t${fixed2(sumIpc / n)}` : ''}\t${Math.max(...coreTmp)}\t` +
      `${Math.max(...pkgTmp)}\t${wattSum.map(fixed2).join('\t')}\n`);
    for (let k = 0; k < n; k++) {
      const c = topo.turbostatOrder[k]!;
      const core = topo.cpuCore[c]!;
      const pkg = topo.cpuSocket[c]!;
      const coreInPkg = core - pkg * topo.coresPerSocket;
      let row = `${micros(epochUs + atUs + k * this.readGapUs)}\t${multi ? `${pkg}\t` : ''}${coreInPkg}\t${c}\t${cpuCols[c]}`;
      if (topo.cpuThread[c] === 0) {
        row += `\t${coreTmp[core]}`;
        if (coreInPkg === 0) row += `\t${pkgTmp[pkg]}\t${watts[pkg]!.join('\t')}`;
      }
      lines.push(`${row}\n`);
    }
    this.rows += n + 1;
    this.out.push(lines.join(''));
  }

  async finish(): Promise<FileSummary> {
    await this.out.close();
    const s = this.ctx.scenario;
    const interval = s.recorders.turbostat_interval_ms / 1000;
    return {
      file: this.file, format: 'turbostat', bytes: this.out.written, rows: this.rows,
      command: `turbostat --enable Time_Of_Day_Seconds --show Package,Core,CPU,Avg_MHz,Busy%,Bzy_MHz,TSC_MHz,IPC,CoreTmp,` +
        `PkgTmp,PkgWatt,CorWatt,RAMWatt --interval ${interval} --out ${this.file}`,
      start_seconds: this.startUs / 1e6, end_seconds: this.prevUs / 1e6,
      energy_joules: Object.fromEntries(domains.map((d, i) => [d, this.joules[i]!])),
      true_energy_joules: this.trueEnergyJoules(),
      bundle: { interval_seconds: interval },
    };
  }
}

/** turbostat's preamble lines that carry facts (units, TjMax, TSC), as it prints them. */
function preamble(ctx: GenContext): string {
  const s = ctx.scenario;
  const esu = s.rapl.esu_bits.package;
  const unit = (10 << 16) | (esu << 8) | 3;
  return 'turbostat version 2024.12.03 - Len Brown <lenb@kernel.org>\n' +
    `Measurement interval: ${(s.recorders.turbostat_interval_ms / 1000).toFixed(3)} seconds\n` +
    `TSC: ${Math.round(s.tsc_hz / 1e6)} MHz\n` +
    `cpu0: MSR_RAPL_POWER_UNIT: 0x${unit.toString(16).padStart(8, '0')} (0.125000 Watts, ${(2 ** -esu).toFixed(6)} Joules, 0.000977 sec.)\n` +
    `cpu0: MSR_IA32_TEMPERATURE_TARGET: 0x${(s.thermal.tjmax_celsius << 16).toString(16).padStart(8, '0')} (${s.thermal.tjmax_celsius} C)\n`;
}

/** Opens `<dir>/<file>` and returns the turbostat recorder. */
export async function createTurbostatRecorder(ctx: GenContext, dir: string, file: string): Promise<Recorder> {
  const rng = new Rng(ctx.seed, 'turbostat-clock');
  const clock = new SampleClock(rng, {
    startNs: Math.round(rng.between(2e6, 8e6)), endNs: ctx.durationUs * 1000,
    intervalNs: Math.round(ctx.scenario.recorders.turbostat_interval_ms * 1e6), drift: rng.between(1e-3, 3e-3),
    jitterNs: 2e6, energyDelayNs: [2e3, 10e3],
  });
  return new TurbostatRecorder(ctx, await ChunkWriter.create(join(dir, file)), file, clock);
}

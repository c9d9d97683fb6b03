import { join } from 'node:path';
import { ChunkWriter } from './chunk-writer.js';
import type { GenContext } from './context.js';
import { domains } from './defaults.js';
import { IntervalRecorder } from './interval-recorder.js';
import type { FileSummary, Recorder } from './recorder.js';
import { Rng } from './rng.js';
import { SampleClock, type Sample } from './sample-clock.js';
import { micros } from './format.js';

/** The dump's header line (the powercap parser's `powercapHeader`). */
const header = 'time,zone,name,energy_uj,max_energy_range_uj\n';
/** Zone directory suffix and `name` of each domain (subzone numbering of Intel servers). */
const zones = [{ suffix: '', name: (p: number) => `package-${p}` }, { suffix: ':0', name: () => 'core' },
  { suffix: ':1', name: () => 'dram' }];

/**
 * A powercap dump: a loop reading `/sys/class/powercap/intel-rapl:*` every interval (TRACE-
 * FORMATS.md §3.1). CSV `time,zone,name,energy_uj,max_energy_range_uj`, one row per zone and
 * reading, time in epoch seconds with 6 decimals (each zone read a few µs after the previous).
 * `energy_uj` wraps at `max_energy_range_uj`; the file's energy adds up by §3.3 (no +1).
 */
class PowercapRecorder extends IntervalRecorder implements Recorder {
  private readonly prevUj: Float64Array;
  private readonly joules = new Float64Array(3);
  private startUs = 0;
  private lastUs = 0;
  private rows = 0;
  private wraps = 0;

  constructor(private readonly ctx: GenContext, readonly out: ChunkWriter, private readonly file: string, clock: SampleClock) {
    super(clock, null, 0, ctx.rapl, ctx.topo.sockets);
    this.prevUj = new Float64Array(ctx.topo.sockets * 3).fill(-1);
    out.push(header);
  }

  protected onSample(sample: Sample): void {
    const { rapl, topo, scenario } = this.ctx;
    const atUs = Math.round(sample.atNs / 1000);
    if (sample.index === 0) this.startUs = atUs;
    const epochUs = scenario.start_epoch_seconds * 1e6 + atUs;
    let text = '';
    let z = 0;
    for (let p = 0; p < topo.sockets; p++) {
      for (let d = 0; d < 3; d++) {
        const k = p * 3 + d;
        const uj = rapl.microjoules(d, this.registers[k]!);
        const range = rapl.rangeUj[d]!;
        const prev = this.prevUj[k]!;
        if (prev >= 0) {
          if (uj < prev) this.wraps++;
          this.joules[d] = this.joules[d]! + (uj >= prev ? uj - prev : range - prev + uj) / 1e6;
        }
        this.prevUj[k] = uj;
        const zone = zones[d]!;
        text += `${micros(epochUs + 15 * z++)},intel-rapl:${p}${zone.suffix},${zone.name(p)},${uj},${range}\n`;
      }
    }
    this.lastUs = atUs + 15 * (z - 1);
    this.rows += z;
    this.out.push(text);
  }

  async finish(): Promise<FileSummary> {
    await this.out.close();
    const interval = this.ctx.scenario.recorders.powercap_interval_ms / 1000;
    return {
      file: this.file, format: 'powercap', bytes: this.out.written, rows: this.rows,
      command: `while sleep ${interval}; do <read /sys/class/powercap/intel-rapl:*/{name,energy_uj,max_energy_range_uj}>; done > ${this.file}`,
      start_seconds: this.startUs / 1e6, end_seconds: this.lastUs / 1e6,
      energy_joules: Object.fromEntries(domains.map((d, i) => [d, this.joules[i]!])),
      true_energy_joules: this.trueEnergyJoules(),
      wraps: this.wraps,
    };
  }
}

/** Opens `<dir>/<file>` and returns the powercap reader. */
export async function createPowercapRecorder(ctx: GenContext, dir: string, file: string): Promise<Recorder> {
  const rng = new Rng(ctx.seed, 'powercap-clock');
  const clock = new SampleClock(rng, {
    startNs: Math.round(rng.between(1e6, 5e6)), endNs: ctx.durationUs * 1000,
    intervalNs: Math.round(ctx.scenario.recorders.powercap_interval_ms * 1e6), drift: rng.between(1e-3, 5e-3),
    jitterNs: 1e6, energyDelayNs: [0, 30e3],
  });
  return new PowercapRecorder(ctx, await ChunkWriter.create(join(dir, file)), file, clock);
}

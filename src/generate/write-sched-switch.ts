import { join } from 'node:path';
import { ChunkWriter } from './chunk-writer.js';
import type { GenContext } from './context.js';
import type { TickFrame } from './frame.js';
import type { FileSummary, Recorder } from './recorder.js';
import { micros } from './format.js';

/** The two text renderings of `sched:sched_switch` (TRACE-FORMATS.md §5.1, §5.2). */
export type SchedSwitchRendering = 'perf-script' | 'trace-cmd-report';

interface Task {
  comm: string;
  pid: number;
  prio: number;
}

/**
 * A KVM host's `sched:sched_switch` trace as `perf script` prints it (kernel payload
 * `prev_comm=… ==> next_comm=…`, comm right-aligned to 16, `[cpu]`, 6-decimal timestamps since
 * boot) or as `trace-cmd report` does (`cpus=N` first, `comm-pid`, the plugin payload
 * `comm:pid [prio] S ==> comm:pid [prio]`, idle as `<idle>-0` / `swapper/N`). A task that
 * blocked leaves with state S, a preempted one with R.
 */
class SchedSwitchRecorder implements Recorder {
  readonly needsSwitches = true;
  private readonly tasks: Task[];
  private readonly bootUs: number;
  private rows = 0;

  constructor(private readonly ctx: GenContext, private readonly rendering: SchedSwitchRendering, readonly out: ChunkWriter,
    private readonly file: string) {
    this.tasks = ctx.cast.entities.map((e) => ({ comm: e.comm, pid: e.tid, prio: e.prio }));
    this.bootUs = Math.round(ctx.scenario.boot_uptime_seconds * 1e6);
    if (rendering === 'trace-cmd-report') out.push(`cpus=${ctx.topo.cpus}\n`);
  }

  private task(e: number, cpu: number): Task {
    return e >= 0 ? this.tasks[e]! : { comm: `swapper/${cpu}`, pid: 0, prio: 120 };
  }

  tick(f: TickFrame): void {
    const sw = f.switches;
    let text = '';
    for (let k = 0; k < sw.n; k++) {
      const cpu = sw.pcpu[k]!;
      const t = sw.time[k]!;
      const prev = this.task(sw.prev[k]!, cpu);
      const next = this.task(sw.next[k]!, cpu);
      const state = sw.prev[k]! >= 0 && sw.prevBlocked[k] ? 'S' : 'R';
      const ts = micros(this.bootUs + t);
      const c3 = String(cpu).padStart(3, '0');
      if (this.rendering === 'perf-script') {
        const comm = sw.prev[k]! >= 0 ? prev.comm : 'swapper';
        text += `${comm.padStart(16)} ${String(prev.pid).padStart(5)} [${c3}] ${ts}: sched:sched_switch: ` +
          `prev_comm=${prev.comm} prev_pid=${prev.pid} prev_prio=${prev.prio} prev_state=${state} ==> ` +
          `next_comm=${next.comm} next_pid=${next.pid} next_prio=${next.prio}\n`;
      } else {
        const comm = sw.prev[k]! >= 0 ? prev.comm : '<idle>';
        text += `${comm.padStart(16)}-${String(prev.pid).padEnd(5)} [${c3}] ${ts}: sched_switch:         ` +
          `${prev.comm}:${prev.pid} [${prev.prio}] ${state} ==> ${next.comm}:${next.pid} [${next.prio}]\n`;
      }
    }
    this.rows += sw.n;
    if (text) this.out.push(text);
  }

  async finish(): Promise<FileSummary> {
    await this.out.close();
    const command = this.rendering === 'perf-script'
      ? `perf record -e sched:sched_switch -a -o sched.data; perf script -i sched.data > ${this.file}`
      : `trace-cmd record -e sched:sched_switch -o sched.dat; trace-cmd report -i sched.dat > ${this.file}`;
    return {
      file: this.file, format: this.rendering, command, bytes: this.out.written, rows: this.rows,
      start_seconds: 0, end_seconds: this.ctx.durationUs / 1e6,
      bundle: { monotonic_start_seconds: this.bootUs / 1e6 },
    };
  }
}

/** Opens `<dir>/<file>` and returns a sched_switch recorder in the given rendering. */
export async function createSchedSwitchRecorder(ctx: GenContext, rendering: SchedSwitchRendering, dir: string,
  file: string): Promise<Recorder> {
  return new SchedSwitchRecorder(ctx, rendering, await ChunkWriter.create(join(dir, file)), file);
}

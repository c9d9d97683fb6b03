import { messages } from '../messages.js';
import { TraceParseError } from '../errors.js';
import type { FormatSpec, LineParser, ParseContext, SampleScope } from './types.js';

/** `get-cpuidle-states` / `get-cpufreq-states` lines (cumulative since boot). */
const CPU_ID = /^cpu id\s+: (\d+)\s*$/;
const IDLE = /^idle time\(ms\)\s+: (\d+)\s*$/;
const STATE = /^\*?([CP]\d+)\s*(?:\[\s*\d+ MHz\])?\s*: transition \[\s*(\d+)\]\s*$/;
const RESIDENCY = /^\s+residency\s+\[\s*(\d+) ms\]\s*$/;
const PKG_CORE = /^(pc|cc)(\d+)\s+: \[\s*(\d+) ms\]\s*$/;
/** `start` lines (already differences over the sampled window). */
const ELAPSED = /^Elapsed time \(ms\): (\d+)\s*$/;
const START_CPU = /^CPU(\d+):\tResidency\(ms\)/;
const START_STATE = /^ {2}([CP]\d+)\t(\d+)\t\(/;
const AVG_FREQ = /^ {2}Avg freq\t(\d+)\tKHz\s*$/;
const SOCKET = /^Socket (\d+)\s*$/;
const START_PC = /^\tPC(\d+)\t(\d+) ms\t/;
const START_CORE = /^\t Core (\d+) CPU (\d+)\s*$/;
const START_CC = /^\t\tCC(\d+)\t(\d+) ms\t/;
/** `get-core-temp` (the degree sign may arrive mangled by a non-UTF-8 capture). */
const TEMP = /^(CPU|Package)(\d+): (-?\d+)\D{0,3}C\s*$/;
/** Lines xenpm prints that carry nothing vheat stores. */
const IGNORED = /^(total [CP]-states|usable P-states|current frequency|average cpu frequency|Start sampling|Timeout set|CPU\tcore\tsocket|CPU\d+\t +\d+\t|Max possible|All C-states)/;

function createParser(ctx: ParseContext): LineParser {
  const { sink, file } = ctx;
  const given = ctx.options.intervalSeconds;
  const delay = given !== undefined && given > 0 ? given : 1;
  let delayWarned = delay === given;
  // Snapshots and temperatures have no time: reading i of an entity is at i × delay.
  const snapshotTime = (index: number): number => {
    if (!delayWarned) {
      sink.warn(messages.xenpmIntervalAssumed(delay));
      delayWarned = true;
    }
    return index * delay;
  };
  const last = new Map<string, { value: number; index: number }>();
  const readings = new Map<string, number>();
  let cpu = -1;
  let pendingState: string | undefined;
  // `start` window [t0, t1] and the current CPU / socket / core inside it.
  let window = { t0: 0, t1: 0 };
  let startCpu = -1;
  let socket = -1;
  let core = -1;
  let rows = 0;

  /** A cumulative counter of CPU `cpu`: emits its increase since the previous snapshot. */
  const cumulative = (name: string, value: number): void => {
    const key = `${cpu}/${name}`;
    const prev = last.get(key);
    const index = prev ? prev.index + 1 : 0;
    last.set(key, { value, index });
    if (!prev) return;
    if (value < prev.value) {
      sink.warn(messages.xenpmCounterDecrease(`CPU${cpu}`, name));
      return;
    }
    sink.sample(snapshotTime(prev.index), snapshotTime(index), 'cpu', `CPU${cpu}`, cpu, `xenpm:${name}`, value - prev.value, null);
    rows++;
  };
  const windowed = (scope: SampleScope, entity: string, pcpu: number | null, name: string, value: number): void => {
    sink.sample(window.t0, window.t1, scope, entity, pcpu, `xenpm:${name}`, value, null);
    rows++;
  };

  return {
    line(text, lineNo) {
      let m: RegExpExecArray | null;
      const needCpu = (): void => {
        if (cpu < 0) throw new TraceParseError('xenpm.noCpu', messages.xenpmNoCpu(), { context: { file, line: lineNo, found: text } });
      };
      if ((m = CPU_ID.exec(text))) {
        cpu = Number(m[1]);
      } else if ((m = IDLE.exec(text))) {
        needCpu();
        cumulative('idle_ms', Number(m[1]));
      } else if ((m = STATE.exec(text))) {
        needCpu();
        pendingState = m[1]!;
        cumulative(`${m[1]}_transitions`, Number(m[2]));
      } else if ((m = RESIDENCY.exec(text)) && pendingState) {
        cumulative(`${pendingState}_ms`, Number(m[1]));
        pendingState = undefined;
      } else if ((m = PKG_CORE.exec(text))) {
        needCpu();
        cumulative(`${m[1]!.toUpperCase()}${m[2]}_ms`, Number(m[3]));
      } else if ((m = ELAPSED.exec(text))) {
        window = { t0: window.t1, t1: window.t1 + Number(m[1]) / 1000 };
      } else if ((m = START_CPU.exec(text))) {
        startCpu = Number(m[1]);
      } else if ((m = START_STATE.exec(text)) && startCpu >= 0) {
        windowed('cpu', `CPU${startCpu}`, startCpu, `${m[1]}_ms`, Number(m[2]));
      } else if ((m = AVG_FREQ.exec(text)) && startCpu >= 0) {
        windowed('cpu', `CPU${startCpu}`, startCpu, 'avg_freq_khz', Number(m[1]));
      } else if ((m = SOCKET.exec(text))) {
        socket = Number(m[1]);
      } else if ((m = START_PC.exec(text)) && socket >= 0) {
        windowed('socket', `S${socket}`, null, `PC${m[1]}_ms`, Number(m[2]));
      } else if ((m = START_CORE.exec(text))) {
        [core, startCpu] = [Number(m[1]), Number(m[2])];
      } else if ((m = START_CC.exec(text)) && core >= 0) {
        windowed('core', `S${socket}-C${core}`, startCpu, `CC${m[1]}_ms`, Number(m[2]));
      } else if ((m = TEMP.exec(text))) {
        const [scope, entity] = m[1] === 'CPU' ? ['cpu', `CPU${m[2]}`] as const : ['socket', `S${m[2]}`] as const;
        const index = readings.get(entity) ?? 0;
        readings.set(entity, index + 1);
        sink.temp(snapshotTime(index), scope, entity, Number(m[3]));
        rows++;
      } else if (text.trim() !== '' && !IGNORED.test(text)) {
        sink.skip(lineNo);
      }
    },
    end() {
      if (rows === 0 && last.size === 0) {
        throw new TraceParseError('xenpm.noRecords', messages.noRecords('xenpm'), {
          context: { file, line: 1, expected: 'xenpm get-cpuidle-states / get-cpufreq-states / start / get-core-temp output' },
        });
      }
      sink.meta({ hypervisor: 'xen', details: { intervalSeconds: delay, intervalAssumed: delay !== given } });
    },
  };
}

/**
 * `xenpm` output (TRACE-FORMATS.md §4.6). `get-cpuidle-states`/`get-cpufreq-states` print
 * cumulative counters since boot: consecutive snapshots of a CPU are differenced (snapshot i at
 * i × `intervalSeconds`, default 1 s with a warning). `start` prints differences over its
 * measured window directly. Events `xenpm:<C|P><i>_ms`, `…_transitions`, `idle_ms`, `PC<k>_ms`,
 * `CC<k>_ms`, `avg_freq_khz` (values as printed); `get-core-temp` → temps (°C).
 */
export const xenpm: FormatSpec = {
  name: 'xenpm',
  description: 'xenpm power-state statistics (C/P-state residency, core temperatures)',
  input: 'lines',
  sniff: ({ lines }) => {
    const head = lines.slice(0, 8);
    if (head.some((l) => CPU_ID.test(l) || l.startsWith('Start sampling, waiting for CTRL-C'))) return 3;
    return head.length > 0 && head.every((l) => TEMP.test(l)) ? 2 : 0;
  },
  create: createParser,
};

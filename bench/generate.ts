/**
 * bench/generate: `vheat generate --scenario large` (64 CPUs × 8 events every second, turbostat,
 * powercap) into a temporary folder, printing throughput and memory.
 *
 *   node --import tsx bench/generate.ts [--duration 10min] [--scenario large] [--keep]
 *
 * Prints MB written, wall and CPU seconds, MB/s (goal ≥ 50), peak RSS (VmHWM) and the RSS and
 * V8 heap in use sampled at each tenth of the run (goal: flat in the duration). The output is deleted unless
 * `--keep` is given.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../src/generate/generate.js';
import { parseDuration } from '../src/util/duration.js';

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const { values } = parseArgs({
  options: {
    duration: { type: 'string' },
    scenario: { type: 'string', default: 'large' },
    keep: { type: 'boolean', default: false },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'vheat-bench-generate-'));
const samples: string[] = [];
let next = 0;
const cpu0 = process.cpuUsage();
const result = await generate({
  scenario: values.scenario!,
  outDir: dir,
  ...(values.duration ? { durationSeconds: parseDuration(values.duration) } : {}),
  onProgress: (f) => {
    if (f < next) return;
    const m = process.memoryUsage();
    samples.push(`${Math.round(f * 100)}%:${Math.round(m.rss / 2 ** 20)}/${Math.round(m.heapUsed / 2 ** 20)}`);
    next += 0.1;
  },
});
const cpu = process.cpuUsage(cpu0);
const mb = result.bytes / 1e6;
console.log(`scenario ${result.scenario}, ${result.durationSeconds} s simulated, ${result.files.length} files in ${dir}`);
console.log(`written ${mb.toFixed(1)} MB in ${result.elapsedSeconds.toFixed(2)} s wall ` +
  `(${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU): ${(mb / result.elapsedSeconds).toFixed(1)} MB/s`);
console.log(`peak RSS ${peakRssMiB().toFixed(0)} MiB; RSS/heap MiB by progress ${samples.join(' ')}`);
if (!values.keep) rmSync(dir, { recursive: true, force: true });

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formats, sniffFormat } from '../../src/ingest/formats.js';
import { ftrace } from '../../src/ingest/ftrace.js';
import { perfKvmStat } from '../../src/ingest/perf-kvm-stat.js';
import { perfScript } from '../../src/ingest/perf-script-sched.js';
import { readSniffInput } from '../../src/ingest/sniff.js';
import { traceCmdReport } from '../../src/ingest/trace-cmd-report.js';
import { fixturePath, fixturesDir } from '../helpers/fixtures.js';
import { hasRealTraces, realTracesDir } from '../helpers/real-traces.js';

/** The KVM host-trace formats and which files are theirs. */
const mine = [
  { spec: perfScript, owns: /^(c1_perf_sched|d3_perf_kvm_tp|d4_perf_emulate_insn)(\.vcpu-lines)?\.txt$/ },
  { spec: traceCmdReport, owns: /^c2_tracecmd(\.vcpu-lines)?\.txt$/ },
  { spec: perfKvmStat, owns: /^d2_perf_kvm_stat_report.*\.txt$/ },
  { spec: ftrace, owns: /^$/ },
];

function textFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return textFiles(path);
    return /\.(data|dat|gz|tar|md|sh)$/.test(name) ? [] : [path];
  });
}

describe('KVM host-trace sniffers', () => {
  it('recognise their own fixtures and no one else\'s', async () => {
    const owner: Record<string, string> = { 'perf-script': perfScript.name, 'trace-cmd-report': traceCmdReport.name,
      ftrace: ftrace.name, 'perf-kvm-stat': perfKvmStat.name };
    for (const path of textFiles(fixturesDir).filter((p) => !p.endsWith('.expected.csv'))) {
      const input = await readSniffInput(path);
      const dir = path.slice(fixturesDir.length + 1).split('/')[0]!;
      // Only parser fixture folders (named after a format) say whose file it is; others hold stage inputs.
      if (!formats.some((f) => f.name === dir)) continue;
      for (const { spec } of mine) {
        if (owner[dir] === spec.name) expect(spec.sniff(input), path).toBeGreaterThan(0);
        else expect(spec.sniff(input), `${spec.name} on ${path}`).toBe(0);
      }
    }
  });

  it('win the registry on their fixtures', async () => {
    for (const dir of ['perf-script', 'trace-cmd-report', 'ftrace', 'perf-kvm-stat']) {
      for (const name of readdirSync(fixturePath(dir)).filter((n) => n.endsWith('.txt'))) {
        expect(sniffFormat(await readSniffInput(fixturePath(dir, name)), formats)?.name, `${dir}/${name}`).toBe(dir);
      }
    }
  });

  it.skipIf(!hasRealTraces)('score 0 on every other real trace, and claim their own', async () => {
    for (const path of textFiles(realTracesDir)) {
      const input = await readSniffInput(path);
      const base = path.split('/').at(-1)!;
      const ours = path.includes('kvm-nested-2026-11-24');
      for (const { spec, owns } of mine) {
        const expected = ours && owns.test(base);
        if (expected) {
          expect(spec.sniff(input), `${spec.name} on ${path}`).toBeGreaterThan(0);
          expect(sniffFormat(input, formats)?.name, path).toBe(spec.name);
        } else {
          expect(spec.sniff(input), `${spec.name} on ${path}`).toBe(0);
        }
      }
    }
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeChartCommand } from '../../src/cli/chart.js';
import { reportError } from '../../src/cli/handle-error.js';
import type { CliIo } from '../../src/cli/io.js';
import { makeProgram } from '../../src/cli/program.js';
import { ExitCode } from '../../src/errors.js';
import { ingest } from '../../src/ingest/ingest.js';
import { messages } from '../../src/messages.js';
import { readModel } from '../../src/model/model-file.js';
import { weightsSample } from '../charts/sample-data.js';
import { fixturePath } from '../helpers/fixtures.js';
import { decodePng } from '../helpers/png.js';
import { tempDb, vheat, type CliRun } from '../helpers/cli.js';
import { syntheticTruth, syntheticWorkloads, tempDir, writePerfRecording } from '../helpers/model-traces.js';
import { miniStore } from '../helpers/replay-store.js';

/** `vheat <args>` with the chart command added (the lead wires it into program.ts). */
async function vheatChart(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, isTTY: false };
  const program = makeProgram(io).exitOverride();
  if (!program.commands.some((c) => c.name() === 'chart')) {
    program.addCommand(makeChartCommand(io).configureOutput({ writeOut: io.out, writeErr: io.err }));
  }
  for (const c of program.commands) c.exitOverride();
  let code = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    code = reportError(error, io, { json: args.includes('--json') });
  }
  return { code, stdout, stderr };
}

const outDir = () => mkdtempSync(join(tmpdir(), 'vheat-chart-'));

describe('vheat chart', () => {
  it('draws the temperature heatmap of a trace in the store', async () => {
    const db = tempDb();
    expect((await vheat('--db', db, 'ingest', fixturePath('turbostat', 'old-spaces.txt'))).code).toBe(0);
    const out = join(outDir(), 'fig', 'heat.svg');
    const run = await vheatChart('--db', db, 'chart', 'temperature-heatmap', '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`temperature-heatmap → ${out}  [svg, paper-1col,`);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('>Time (s)</text>');
    expect(svg).toContain('>S0-C1</text>');
  });

  it('finds the trace by name and reports unknown names with a suggestion', async () => {
    const db = tempDb();
    await vheat('--db', db, 'ingest', fixturePath('turbostat', 'old-spaces.txt'), fixturePath('sensors-json', 'two-socket.json'));
    const out = join(outDir(), 'heat.json');
    const ok = await vheatChart('--db', db, '--json', 'chart', 'temperature-heatmap', '--trace', 'two-socket.json', '--out', out);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ kind: 'temperature-heatmap', format: 'json', out, warnings: [] });
    expect(JSON.parse(readFileSync(out, 'utf8')).encoding.y.sort).toEqual(['S0-C0', 'S0-C1', 'S1-C0', 'S1-C8']);
    const bad = await vheatChart('--db', db, 'chart', 'temperature-heatmap', '--trace', 'two-sockets.json', '--out', out);
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.stderr).toMatch(/chart\.traceNotFound.*\n  hint: did you mean "two-socket.json"\?/);
    const ambiguous = await vheatChart('--db', db, 'chart', 'temperature-heatmap', '--out', out);
    expect(ambiguous.stderr).toMatch(/chart\.pickTrace/);
  });

  it('takes any kind from --data and writes a 300 dpi PNG in the chosen theme', async () => {
    const dir = outDir();
    const data = join(dir, 'weights.json');
    writeFileSync(data, JSON.stringify(weightsSample()));
    const out = join(dir, 'weights.png');
    const run = await vheatChart('--db', tempDb(), '--quiet', 'chart', 'weights', '--data', data, '--theme', 'paper-2col', '--font', 'sans', '--out', out);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(decodePng(readFileSync(out)).width).toBe(7 * 300);
  });

  it('an --out that cannot be written is a usage error naming the file, with a hint', async () => {
    const dir = outDir();
    const data = join(dir, 'weights.json');
    writeFileSync(data, JSON.stringify(weightsSample()));
    // the data file stands where the output's folder would have to be
    const out = join(data, 'fig.svg');
    const run = await vheatChart('--db', tempDb(), 'chart', 'weights', '--data', data, '--out', out);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(new RegExp(`^vheat: error\\[chart\\.write\\]: ${out}: cannot write ${out}: `));
    expect(run.stderr).toContain(`\n  hint: ${messages.hintOutputPath()}\n`);
  });

  it('turns usage mistakes into exit code 2 before writing anything', async () => {
    const dir = outDir();
    const typo = await vheatChart('--db', tempDb(), 'chart', 'wieghts', '--out', join(dir, 'a.svg'));
    expect(typo.code).toBe(ExitCode.usage);
    expect(typo.stderr).toMatch(/unknown chart kind "wieghts".*\n  hint: did you mean "weights"\?/);
    const ext = await vheatChart('--db', tempDb(), 'chart', 'weights', '--out', join(dir, 'a.gif'));
    expect(ext.stderr).toMatch(/chart\.badOut/);
    const noModel = await vheatChart('--db', tempDb(), 'chart', 'weights', '--out', join(dir, 'a.svg'));
    expect(noModel.stderr).toBe(`vheat: error[chart.needsModel]: ${messages.chartNeedsModel('weights')}\n`);
    const noRuns = await vheatChart('--db', tempDb(), 'chart', 'imbalance-cdf', '--out', join(dir, 'a.svg'));
    expect(noRuns.code).toBe(ExitCode.usage);
    expect(noRuns.stderr).toContain('no replay runs in the store; run `vheat compare` (or `vheat replay`) first');
    const theme = await vheatChart('--db', tempDb(), 'chart', 'weights', '--theme', 'poster', '--out', join(dir, 'a.svg'));
    expect(theme.code).toBe(ExitCode.usage);
    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '{"events": [');
    const unreadable = await vheatChart('--db', tempDb(), 'chart', 'weights', '--data', badJson, '--out', join(dir, 'a.svg'));
    expect(unreadable.code).toBe(ExitCode.bundle);
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ events: ['a'] }));
    const wrong = await vheatChart('--db', tempDb(), 'chart', 'weights', '--data', invalid, '--out', join(dir, 'a.svg'));
    expect(wrong.stderr).toMatch(/chart\.badData.*weightsJ/);
    expect(existsSync(join(dir, 'a.svg'))).toBe(false);
  });
});

/** The data rows of a written vega-lite spec (top level, or the first layer that has them). */
function specRows(file: string): Record<string, unknown>[] {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { data?: { values: Record<string, unknown>[] }; layer?: { data?: { values: Record<string, unknown>[] } }[] };
  return spec.data?.values ?? spec.layer!.find((l) => l.data)!.data!.values;
}

describe('vheat chart from the store', () => {
  let db: string;
  let model: string;
  let calibrated: string;
  const replays: Record<string, { run_id: string; metrics: { imbalance_mean_c: number } }> = {};
  let attribution: string;
  beforeAll(async () => {
    // the hand-built mini recording and its exact model, plus synthetic perf recordings to calibrate on
    const mini = await miniStore();
    const dir = tempDir();
    await ingest(mini.store, syntheticWorkloads.map((w, i) => writePerfRecording(dir, w, syntheticTruth, i + 1)));
    mini.store.close();
    ({ db, modelPath: model } = mini);
    calibrated = join(dir, 'model.json');
    expect((await vheat('--db', db, 'calibrate', '--train', '*.perf', '--replicates', '20', '--out', calibrated)).code).toBe(0);
    const common = ['--trace', 'mini', '--model', model, '--tick', '10ms', '--out', join(dir, 'parquet')];
    // seed 1 of two policies with series (replay), seeds 2 and 3 of two policies without (compare)
    for (const policy of ['pinned', 'recorded']) {
      const r = await vheat('--db', db, '--json', 'replay', ...common, '--host-policy', policy);
      replays[policy] = JSON.parse(r.stdout);
    }
    expect((await vheat('--db', db, 'compare', ...common, '--policies', 'pinned,load-balance', '--seed', '2', '--seeds', '2', '--workers', '1')).code).toBe(0);
    const a = await vheat('--db', db, '--json', 'attribute', '--model', model, '--trace', 'mini');
    attribution = (JSON.parse(a.stdout) as { attribution_id: string }).attribution_id;
  });

  it('compares every run of the latest run\'s recording, model and tick, one row per policy', async () => {
    const out = join(outDir(), 'cmp.json');
    const run = await vheatChart('--db', db, 'chart', 'policy-comparison', '--out', out);
    expect(run.code).toBe(0);
    const rows = specRows(out) as { policy: string; metric: string; mean: number; low: number; high: number }[];
    const imbalance = rows.filter((r) => r.metric === 'Mean imbalance');
    expect(imbalance.map((r) => r.policy)).toEqual(['load-balance', 'pinned', 'recorded']);
    // recorded ran once: its mean is that run's figure, with no interval
    const recorded = imbalance.find((r) => r.policy === 'recorded')!;
    expect(recorded.mean).toBeCloseTo(replays.recorded!.metrics.imbalance_mean_c, 3);
    expect(recorded.low).toBe(recorded.high);
    // pinned is three seeds (1 from replay, 2 and 3 from compare): an interval around the mean
    const pinned = imbalance.find((r) => r.policy === 'pinned')!;
    expect(pinned.low).toBeLessThanOrEqual(pinned.mean);
    expect(rows.some((r) => r.metric === 'Work lost')).toBe(true);
    // the same comparison when named by any of its runs, by the start of its id
    const again = join(outDir(), 'again.json');
    expect((await vheatChart('--db', db, 'chart', 'policy-comparison', '--run', replays.pinned!.run_id.slice(0, 6), '--out', again)).code).toBe(0);
    expect(specRows(again)).toEqual(rows);
    const unknown = await vheatChart('--db', db, 'chart', 'policy-comparison', '--run', 'zzzz', '--out', again);
    expect(unknown.code).toBe(ExitCode.usage);
    expect(unknown.stderr).toContain(messages.chartIdNotFound('replay run', 'zzzz'));
  });

  it('draws the imbalance CDF of the runs that kept series, and the overhead trade-off by the chosen measure', async () => {
    const cdf = join(outDir(), 'cdf.json');
    expect((await vheatChart('--db', db, 'chart', 'imbalance-cdf', '--out', cdf)).code).toBe(0);
    expect(JSON.parse(readFileSync(cdf, 'utf8')).encoding.color.scale.domain).toEqual(['pinned', 'recorded']);
    // mini is 4 s at 1 s series intervals: a 0 % start and 4 steps at most per policy
    const points = specRows(cdf).filter((r) => r.policy === 'recorded');
    expect(points[0]).toMatchObject({ percent: 0 });
    expect(points.at(-1)).toMatchObject({ percent: 100 });
    expect(points.length).toBeLessThanOrEqual(5);
    const tradeoff = join(outDir(), 'tradeoff.json');
    expect((await vheatChart('--db', db, 'chart', 'overhead-tradeoff', '--overhead', 'migrations', '--out', tradeoff)).code).toBe(0);
    const spec = JSON.parse(readFileSync(tradeoff, 'utf8'));
    expect(spec.layer[2].encoding.x.title).toBe('Migrations (1/s)');
    // the recorded placement moves vm2/vcpu0 to pCPU 2 and vm1's vCPUs between 0 and 1 (see the fixture's README): 3 in 4 s
    expect(specRows(tradeoff).find((r) => r.policy === 'recorded')).toMatchObject({ overhead: 0.75 });
  });

  it('draws a replay run\'s core temperatures, per-VM energy of an attribution, and a model\'s fit and weights', async () => {
    const dir = outDir();
    const heat = join(dir, 'heat.json');
    expect((await vheatChart('--db', db, 'chart', 'temperature-heatmap', '--run', replays.pinned!.run_id, '--out', heat)).code).toBe(0);
    expect(JSON.parse(readFileSync(heat, 'utf8')).encoding.y.sort).toEqual(['S0-C0', 'S0-C1', 'S0-C2']);
    const unknown = await vheatChart('--db', db, 'chart', 'temperature-heatmap', '--run', 'zzzz', '--out', heat);
    expect(unknown.stderr).toMatch(/chart\.runNotFound/);
    const vm = join(dir, 'vm.json');
    expect((await vheatChart('--db', db, 'chart', 'vm-energy', '--run', attribution.slice(0, 8), '--out', vm)).code).toBe(0);
    // vm1: 18.333 J of idle share and 6.5 J of its own work (the fixture's exact model); vm2 10 J + 2.5 J
    const bars = specRows(vm) as { vm: string; component: string; energy: number }[];
    expect(bars.filter((b) => b.vm === 'vm1').map((b) => [b.component, b.energy])).toEqual([['Static/idle', 18.33], ['Dynamic', 6.5], ['I/O emulation', 0]]);
    expect(bars.filter((b) => b.vm === 'vm2').map((b) => b.energy)).toEqual([10, 2.5, 0]);
    const fit = join(dir, 'fit.png');
    const drawn = await vheatChart('--db', db, 'chart', 'calibration-fit', '--model', calibrated, '--out', fit);
    expect(drawn).toMatchObject({ code: 0, stderr: '' });
    expect(decodePng(readFileSync(fit)).width).toBe(3.5 * 300);
    const weights = join(dir, 'weights.json');
    expect((await vheatChart('--db', db, 'chart', 'weights', '--model', calibrated, '--out', weights)).code).toBe(0);
    expect(specRows(weights).map((r) => r.event).sort()).toEqual(readModel(calibrated).terms.map((t) => t.name).sort());
  });
});

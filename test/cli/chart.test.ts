import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeChartCommand } from '../../src/cli/chart.js';
import { reportError } from '../../src/cli/handle-error.js';
import type { CliIo } from '../../src/cli/io.js';
import { makeProgram } from '../../src/cli/program.js';
import { ExitCode } from '../../src/errors.js';
import { weightsSample } from '../charts/sample-data.js';
import { fixturePath } from '../helpers/fixtures.js';
import { decodePng } from '../helpers/png.js';
import { tempDb, vheat, type CliRun } from '../helpers/cli.js';

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

  it('turns usage mistakes into exit code 2 before writing anything', async () => {
    const dir = outDir();
    const typo = await vheatChart('--db', tempDb(), 'chart', 'wieghts', '--out', join(dir, 'a.svg'));
    expect(typo.code).toBe(ExitCode.usage);
    expect(typo.stderr).toMatch(/unknown chart kind "wieghts".*\n  hint: did you mean "weights"\?/);
    const ext = await vheatChart('--db', tempDb(), 'chart', 'weights', '--out', join(dir, 'a.gif'));
    expect(ext.stderr).toMatch(/chart\.badOut/);
    const noData = await vheatChart('--db', tempDb(), 'chart', 'weights', '--out', join(dir, 'a.svg'));
    expect(noData.stderr).toMatch(/chart\.needsData.*--data FILE\.json/);
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

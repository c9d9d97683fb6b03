import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { demo } from '../../src/demo/demo.js';
import { parseModel } from '../../src/model/model-file.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('demo', () => {
  it('ingests traces/, fits a model per demo bundle, writes the report and its charts as SVG and PNG', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vheat-demo-'));
    const stages: string[] = [];
    const r = await demo({ tracesDir: join(root, 'traces'), outDir: out, onProgress: (s) => { if (stages.at(-1) !== s) stages.push(s); } });
    expect(stages).toEqual(['ingest', 'info', 'calibrate', 'report', 'charts']);
    expect(r.info.traces.length).toBe(22);
    const expected = ['info.json', 'models/demo-kvm.json', 'models/demo-xen.json', 'report.html',
      ...['demo-kvm-calibration-fit', 'demo-kvm-weights', 'demo-xen-calibration-fit', 'demo-xen-weights',
        'demo-kvm-temperature-heatmap', 'demo-xen-temperature-heatmap'].flatMap((c) => [`charts/${c}.svg`, `charts/${c}.png`])];
    expect(r.outputs.map((o) => o.path).sort()).toEqual(expected.map((f) => join(out, f)).sort());
    for (const f of expected) expect(existsSync(join(out, f)), f).toBe(true);
    const kvm = parseModel(JSON.parse(readFileSync(join(out, 'models/demo-kvm.json'), 'utf8')), 'demo-kvm.json');
    expect(kvm.training.traces.map((t) => `${t.bundle}/${t.name}`)).toEqual(['demo-kvm/perf-stat-cpu.csv']);
    expect(kvm.fit.cv!.r2!).toBeGreaterThan(0.9);
    const png = readFileSync(join(out, 'charts/demo-kvm-weights.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect((html.match(/<figure /g) ?? []).length).toBe(6);
    expect(html).toContain('package model on demo-kvm/perf-stat-cpu.csv');
  }, 120_000);
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { demo } from '../../src/demo/demo.js';
import { UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { parseModel } from '../../src/model/model-file.js';
import { hostPolicyNames } from '../../src/policies/index.js';
import { slug } from '../../src/report/charts.js';
import { compileLog, schemaErrors } from '../charts/check-spec.js';
import { decodePng, inkFraction } from '../helpers/png.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('demo', () => {
  it('runs ingest → calibrate → attribute → replay → compare → report → charts on traces/ and writes every result', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vheat-demo-'));
    const stages: string[] = [];
    // a 10 ms tick and two seeds keep the test short; npm start uses 1 ms and five
    const r = await demo({
      tracesDir: join(root, 'traces'), outDir: out, replay: { tickSeconds: 0.01, seeds: 2 },
      onProgress: (s) => { if (stages.at(-1) !== s) stages.push(s); },
    });
    expect(stages).toEqual(['ingest', 'info', 'calibrate', 'attribute', 'replay', 'compare', 'report', 'charts']);
    expect(r.stageSeconds.map((s) => s.stage)).toEqual(stages);
    expect(r.info.traces.length).toBe(r.ingest.traces.length);
    const policies = hostPolicyNames();
    const charts = [
      'demo-kvm-calibration-fit', 'demo-kvm-weights', 'demo-xen-calibration-fit', 'demo-xen-weights', 'demo-kvm-vm-energy', 'demo-xen-vm-energy',
      'demo-xen-policy-comparison', 'demo-xen-imbalance-cdf', 'demo-xen-overhead-tradeoff', 'demo-kvm-temperature-heatmap', 'demo-xen-temperature-heatmap',
    ];
    const expected = ['info.json', 'models/demo-kvm.json', 'models/demo-xen.json', 'attribution/demo-kvm.json', 'attribution/demo-xen.json',
      ...policies.map((p) => `replay/${slug(p)}.json`), 'comparison.json', 'comparison.csv', 'report.html',
      ...charts.flatMap((c) => [`charts/${c}.svg`, `charts/${c}.png`])];
    expect(r.outputs.map((o) => o.path).sort()).toEqual(expected.map((f) => join(out, f)).sort());
    for (const f of expected) expect(existsSync(join(out, f)), f).toBe(true);

    // models
    const kvm = parseModel(JSON.parse(readFileSync(join(out, 'models/demo-kvm.json'), 'utf8')), 'demo-kvm.json');
    expect(kvm.training.traces.map((t) => `${t.bundle}/${t.name}`)).toEqual(['demo-kvm/perf-stat-cpu.csv']);
    expect(kvm.fit.cv!.r2!).toBeGreaterThan(0.9);

    // per-VM energy: the books close on the measured energy, and on demo-kvm the model leaves under 1 % unexplained
    for (const { bundle, result: a } of r.attributions) {
      const booked = a.vms.reduce((s, v) => s + v.joules, 0) + a.host_joules + a.idle_joules + a.residual_joules!;
      expect(booked, bundle).toBeCloseTo(a.measured_joules!, 6);
      expect(a.vms.length, bundle).toBe(4);
      expect(JSON.parse(readFileSync(join(out, `attribution/${bundle}.json`), 'utf8')).measured_joules).toBe(a.measured_joules);
    }
    const kvmBooks = r.attributions.find((a) => a.bundle === 'demo-kvm')!.result;
    expect(Math.abs(kvmBooks.residual_joules!)).toBeLessThan(0.01 * kvmBooks.measured_joules!);
    // the web VM's virtio I/O is emulated by its QEMU I/O thread: a share of its energy, and none for the idle VM
    expect(kvmBooks.vms.find((v) => v.vm === 'web')!.io_joules).toBeGreaterThan(0);

    // the comparison: one row per registered host policy, each over both seeds, the budget policies with the derived budget
    const c = r.comparison;
    expect(c.traces).toBe('demo-xen');
    expect(c.policies.map((p) => p.hostPolicy).sort()).toEqual([...policies].sort());
    for (const p of c.policies) {
      expect(p.seeds, p.policy).toEqual([1, 2]);
      expect(p.metrics.imbalance_mean_c!.mean, p.policy).toBeGreaterThan(0);
      expect(p.metrics.energy_j!.mean, p.policy).toBeGreaterThan(0);
    }
    const budget = c.policies.find((p) => p.hostPolicy === 'budget');
    if (budget) expect(Number(budget.params.budget_w)).toBeGreaterThan(0);
    expect(c.seriesRuns.length).toBe(policies.length); // seed 1 of each, from the replay stage
    const csv = readFileSync(join(out, 'comparison.csv'), 'utf8').trimEnd().split('\n');
    expect(csv.length).toBe(1 + policies.length);
    expect(JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')).policies.length).toBe(policies.length);

    // charts: every spec drawn from the store is schema-valid and compiles without a warning; every policy is in the CDF
    for (const ch of r.report.charts) {
      expect(schemaErrors(ch.spec), ch.name).toEqual([]);
      expect(compileLog(ch.spec), ch.name).toEqual([]);
    }
    const cdf = r.report.charts.find((ch) => ch.kind === 'imbalance-cdf')!;
    expect((cdf.spec as { encoding: { color: { scale: { domain: string[] } } } }).encoding.color.scale.domain.length).toBe(policies.length);
    const png = decodePng(readFileSync(join(out, 'charts/demo-xen-policy-comparison.png')));
    expect(png.width).toBe(7 * 300);
    expect(inkFraction(png)).toBeGreaterThan(0.02);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect((html.match(/<figure /g) ?? []).length).toBe(charts.length);
    expect(html).toContain('package model on demo-kvm/perf-stat-cpu.csv');
    expect(r.report.sections.every((s) => !s.empty)).toBe(true);
  }, 300_000);

  it('an output folder that cannot be created is a usage error naming it, before anything runs', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'vheat-demo-')), 'blocker');
    writeFileSync(blocker, 'a file, not a folder');
    const outDir = join(blocker, 'out');
    const stages: string[] = [];
    const error = await demo({ tracesDir: join(root, 'traces'), outDir, onProgress: (s) => stages.push(s) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'demo.outDir', context: { file: outDir }, hint: messages.hintOutputPath() });
    expect((error as UsageError).message.startsWith(messages.outDirUnusable(outDir, ''))).toBe(true);
    expect(stages).toEqual([]);
  });
});

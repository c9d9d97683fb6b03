import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo } from '../../src/demo/demo.js';
import { report, type ReportResult } from '../../src/report/report.js';
import { saveRun } from '../../src/store/replay-results.js';
import { openStore } from '../../src/store/store.js';

const chromium = '/usr/bin/chromium';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the screenshot is kept for people to look at (CI keeps out/ as an artifact). */
const screenshot = join(root, 'out', 'test-artifacts', 'report.png');
// Debian package `chromium`; CI installs it, so there the test must run
const skip = !existsSync(chromium) && !process.env.CI;

/** Runs headless Chromium on `url` with console messages logged to stderr. */
function runChromium(url: string, extra: readonly string[]): { stdout: string; consoleLines: string[] } {
  const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--enable-logging=stderr', '--v=0',
    '--allow-file-access-from-files', ...extra, url], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`chromium exited with ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout, consoleLines: r.stderr.split('\n').filter((l) => l.includes(':CONSOLE')) };
}

describe.skipIf(skip)(`report in headless Chromium${skip ? ` (skipped: ${chromium} absent; apt-get install chromium)` : ''}`, () => {
  let dir: string;
  let result: ReportResult;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vheat-browser-'));
    const run = await demo({ tracesDir: join(root, 'traces'), outDir: dir });
    // replay and attribution results, so every section has a chart
    const store = await openStore(run.db);
    try {
      await store.run(`INSERT INTO attribution VALUES ('a', 2, 0, 60, 'vm', 'web01', NULL, 'package', 420, 0, 120, 'counter-model'),
        ('a', 2, 0, 60, 'vm', 'db01', NULL, 'package', 105, 25, 0, 'counter-model')`);
      for (const [policy, seed, imbalance] of [['default', 1, 4.1], ['default', 2, 4.4], ['load-balance', 1, 2.2], ['load-balance', 2, 2.5]] as const) {
        await saveRun(store, {
          runId: `${policy}-${seed}`, traces: '1', traceIds: [1], model: 'm', hostPolicy: policy, guestPolicy: 'default', params: {},
          seed, tickSeconds: 0.1, t0: 0, t1: 10, summary: {},
        }, [{ metric: 'imbalance_mean_c', entity: '', value: imbalance }, { metric: 'migrations', entity: '', value: seed * 10 }]);
      }
      result = await report(store, { out: join(dir, 'report.html'), models: run.models });
    } finally {
      store.close();
    }
  }, 120_000);
  afterAll(() => undefined);

  it('loads with no console message, and every chart is drawn with a non-zero size', () => {
    // the report allows no script, so a frame page measures it (file URLs share an origin with the flag above)
    const probe = join(dir, 'probe.html');
    writeFileSync(probe, `<!DOCTYPE html><html><body><iframe id="r" style="width:1200px;height:900px" src="report.html"
onload="const d=this.contentDocument;document.body.setAttribute('data-out',JSON.stringify({height:d.documentElement.scrollHeight,
svgs:[...d.querySelectorAll('figure > svg')].map((s)=>{const b=s.getBoundingClientRect();return [s.parentNode.dataset.kind,b.width,b.height];})}))"></iframe></body></html>`);
    const { stdout, consoleLines } = runChromium(pathToFileURL(probe).href, ['--dump-dom']);
    expect(consoleLines).toEqual([]);
    const m = /data-out="([^"]*)"/.exec(stdout);
    const out = JSON.parse(m![1]!.replace(/&quot;/g, '"')) as { height: number; svgs: [string, number, number][] };
    expect(out.svgs.map((s) => s[0])).toEqual(result.charts.map((c) => c.kind));
    expect(new Set(out.svgs.map((s) => s[0]))).toEqual(new Set(['calibration-fit', 'weights', 'temperature-heatmap', 'vm-energy', 'policy-comparison']));
    for (const [kind, w, h] of out.svgs) {
      expect(w, kind).toBeGreaterThan(300);
      expect(h, kind).toBeGreaterThan(30);
    }
    // the screenshot, of the whole page
    mkdirSync(dirname(screenshot), { recursive: true });
    const shot = runChromium(pathToFileURL(result.path).href, [`--window-size=1200,${Math.min(out.height, 16000)}`, `--screenshot=${screenshot}`]);
    expect(shot.consoleLines).toEqual([]);
    expect(existsSync(screenshot)).toBe(true);
  }, 120_000);
});

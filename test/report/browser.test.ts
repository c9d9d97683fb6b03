import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo } from '../../src/demo/demo.js';
import type { ReportResult } from '../../src/report/report.js';

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
    // the demo fills every section (attribution, replay runs with series); one seed and a coarse tick keep it short
    const run = await demo({ tracesDir: join(root, 'traces'), outDir: dir, replay: { tickSeconds: 0.01, seeds: 1 } });
    result = run.report;
  }, 300_000);
  afterAll(() => undefined);

  /**
   * The report laid out in a frame `width` px wide (it allows no script, so a frame page measures
   * it; file URLs share an origin with the flag above): page height, each figure's kind and
   * size, and each table box's content and visible widths.
   */
  function measure(width: number) {
    const probe = join(dir, `probe-${width}.html`);
    writeFileSync(probe, `<!DOCTYPE html><html><body><iframe id="r" style="width:${width}px;height:900px" src="report.html"
onload="const d=this.contentDocument;document.body.setAttribute('data-out',JSON.stringify({height:d.documentElement.scrollHeight,
svgs:[...d.querySelectorAll('figure > svg')].map((s)=>{const b=s.getBoundingClientRect();return [s.parentNode.dataset.kind,b.width,b.height];}),
tables:[...d.querySelectorAll('.scroll')].map((s)=>[s.closest('section').id,s.scrollWidth,s.clientWidth])}))"></iframe></body></html>`);
    const { stdout, consoleLines } = runChromium(pathToFileURL(probe).href, ['--dump-dom']);
    const m = /data-out="([^"]*)"/.exec(stdout);
    const out = JSON.parse(m![1]!.replace(/&quot;/g, '"')) as { height: number; svgs: [string, number, number][]; tables: [string, number, number][] };
    return { ...out, consoleLines };
  }

  it('fits every table in the column, the traces table also in a narrow window', () => {
    const wide = measure(1200);
    expect(wide.tables.map((t) => t[0])).toEqual(['traces', 'vm-energy', 'vm-energy', 'policies']);
    for (const [section, content, visible] of wide.tables) expect(content, section).toBeLessThanOrEqual(visible);
    // 700 px: the traces table wraps its names instead of running past the edge (the comparison may scroll in its box)
    const [traces] = measure(700).tables;
    expect(traces![2]).toBeLessThan(700);
    expect(traces![1]).toBeLessThanOrEqual(traces![2]);
  }, 120_000);

  it('loads with no console message, and every chart is drawn with a non-zero size', () => {
    const out = measure(1200);
    expect(out.consoleLines).toEqual([]);
    expect(out.svgs.map((s) => s[0])).toEqual(result.charts.map((c) => c.kind));
    expect(new Set(out.svgs.map((s) => s[0]))).toEqual(new Set(['calibration-fit', 'weights', 'temperature-heatmap', 'vm-energy',
      'policy-comparison', 'imbalance-cdf', 'overhead-tradeoff']));
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

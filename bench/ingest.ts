/**
 * bench/ingest: vheat ingest of a `perf stat -A -I -x,` CSV (64 CPUs × 8 events) against DuckDB's
 * own `read_csv` loading the same file into a table, measured in the same run on the same machine.
 *
 *   node --import tsx bench/ingest.ts [--mb 100] [--sizes 25,100]
 *
 * Prints wall time of each, the ratio vheat/read_csv (goal ≤ 1.5) and the peak RSS of vheat
 * ingest per file size (goal: flat in file size). Each measurement runs in a fresh child process
 * so peak RSS (VmHWM) belongs to that measurement alone.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const events = ['cycles', 'instructions', 'cache-misses', 'cache-references', 'branch-instructions',
  'branch-misses', 'LLC-load-misses', 'msr/aperf/'];
const cpus = 64;

/** Writes a perf-stat -A -I 100 -x, file of about `mb` MiB. Deterministic (LCG). */
async function writePerfCsv(path: string, mb: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('# started on Tue Nov 24 17:58:07 2026\n\n');
  let written = 0;
  let seed = 12345;
  const target = mb * 2 ** 20;
  for (let k = 1; written < target; k++) {
    const stamp = `${String((k * 0.1).toFixed(9)).padStart(16)}`;
    let chunk = '';
    for (let c = 0; c < cpus; c++) {
      for (const e of events) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const run = 100_000_000 + (seed % 1000);
        chunk += `${stamp},CPU${c},${seed % 50_000_000},,${e},${run},${seed % 7 === 0 ? '62.50' : '100.00'},,\n`;
      }
    }
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await new Promise<void>((r) => out.once('finish', () => r()));
}

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function child(mode: string, file: string): Promise<void> {
  const { openStore } = await import('../src/store/store.js');
  const { ingest } = await import('../src/ingest/ingest.js');
  // A file store, as users have: an in-memory store would count the loaded table itself as RSS.
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'vheat-bench-db-')), 'store.duckdb'));
  const start = performance.now();
  let rows = 0;
  if (mode === 'vheat') {
    const result = await ingest(store, [file]);
    rows = result.traces[0]?.rows.samples ?? 0;
  } else {
    // Baseline only: DuckDB's own CSV reader on the same bytes (bench code, not vheat's store).
    await store.run(`CREATE TABLE raw AS SELECT * FROM read_csv(?, header = false, auto_detect = true, skip = 2)`, [file]);
    rows = Number((await store.query('SELECT count(*) AS n FROM raw'))[0]!.n);
  }
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(JSON.stringify({ seconds, rows, rssMiB: peakRssMiB() }));
  store.close();
}

function measure(mode: string, file: string): { seconds: number; rows: number; rssMiB: number } {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', mode, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { seconds: number; rows: number; rssMiB: number };
}

async function mainBench(): Promise<void> {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1]! : fallback;
  };
  const sizes = arg('--sizes', arg('--mb', '100')).split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'vheat-bench-'));
  console.log('size_MiB  rows       vheat_s  read_csv_s  ratio  vheat_MB/s  vheat_peak_RSS_MiB  read_csv_peak_RSS_MiB');
  for (const mb of sizes) {
    const file = join(dir, `perf-${mb}.csv`);
    await writePerfCsv(file, mb);
    const bytes = statSync(file).size;
    const v = measure('vheat', file);
    const d = measure('read_csv', file);
    console.log([
      (bytes / 2 ** 20).toFixed(0).padStart(8), String(v.rows).padStart(10), v.seconds.toFixed(2).padStart(8),
      d.seconds.toFixed(2).padStart(11), (v.seconds / d.seconds).toFixed(2).padStart(6),
      (bytes / 2 ** 20 / v.seconds).toFixed(1).padStart(11), v.rssMiB.toFixed(0).padStart(19), d.rssMiB.toFixed(0).padStart(22),
    ].join(' '));
    if (v.rows !== d.rows) console.log(`  note: vheat stored ${v.rows} samples, read_csv ${d.rows} rows`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await mainBench();

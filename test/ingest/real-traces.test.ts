import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { ingest } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/store.js';
import { hasRealTraces, realTrace, skipReason } from '../helpers/real-traces.js';

/**
 * Every real recording folder goes through the full driver (folder walk, sniffing, one
 * transaction) without an error; the files no format claims are exactly the non-trace files
 * (notes, meter logs, archives, binary perf.data) listed here.
 */
const folders: { folder: string; formats: Record<string, string>; ignored: RegExp }[] = [
  { folder: 'rapl-validation-haswell-i5', formats: { '.perf': 'perf-stat-csv' }, ignored: /\.(daq|stdio|wup)$/ },
  { folder: 'rapl-validation-haswell-ep-phase', formats: { '.phase': 'perf-stat-csv' }, ignored: /\.(notes|rapl_trace)$/ },
  { folder: 'rapl-validation-run-totals', formats: { '': 'perf-stat-human' }, ignored: /\.(notes|wup|rapl_results)$|results/ },
  ...['adl0', 'bdwup0', 'genoa0', 'snr0'].map((host) => (
    { folder: `stats-collect-turbostat/${host}`, formats: { '.txt': 'turbostat' }, ignored: /\.(yml|log|csv)$|ipmi|acpower/ })),
  { folder: 'powerapi-hwpc', formats: { '.json': 'powerapi-hwpc' }, ignored: /^$/ },
  { folder: 'kepler-prometheus', formats: { '.json': 'prometheus-range', '': 'prometheus-text' }, ignored: /^$/ },
  { folder: 'xentop-batch-xcpng83', formats: { '.txt': 'xentop' }, ignored: /^$/ },
  { folder: 'xentrace-rtds-modechange-penn', formats: { '.bin': 'xentrace', '': 'xentrace-format' }, ignored: /^$/ },
  { folder: 'xenalyze-summary-64pcpu-niels', formats: { '.txt': 'xenalyze-summary' }, ignored: /^$/ },
  { folder: 'xempower-xen-ctxswitch-rapl-pmc', formats: { '.csv': 'xempower' }, ignored: /^$/ },
  { folder: 'kvm-nested-2026-11-24/bundle-kvm-burn5', formats: {}, ignored: /\.(data|dat|log|tsv)$|commands|host|timings|qemu-cmdline|f_energy|sizes/ },
];

describe.skipIf(!hasRealTraces)(`real recordings ingest end to end (${hasRealTraces ? 'present' : skipReason})`, () => {
  for (const { folder, formats, ignored } of folders) {
    it(folder, async () => {
      const store = await openStore(':memory:');
      const result = await ingest(store, [realTrace(folder)]);
      expect(result.traces.length).toBeGreaterThan(0);
      for (const t of result.traces) {
        const ext = Object.keys(formats).find((e) => e !== '' && t.name.endsWith(e)) ?? '';
        if (formats[ext]) expect(`${t.name}: ${t.format}`).toBe(`${t.name}: ${formats[ext]}`);
      }
      for (const i of result.ignored) expect(basename(i.source)).toMatch(ignored);
      store.close();
    });
  }

  it('stats-collect-turbostat/bdwup0-corrupted fails as a whole, located, and leaves the store empty', async () => {
    const store = await openStore(':memory:');
    await expect(ingest(store, [realTrace('stats-collect-turbostat/bdwup0-corrupted')])).rejects.toMatchObject({
      code: 'turbostat.badHeader', context: { line: 64 },
    });
    expect(await store.query('SELECT count(*) AS n FROM traces')).toEqual([{ n: 0 }]);
    store.close();
  });
});

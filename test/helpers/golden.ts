import type { MemorySink } from '../../src/ingest/memory-sink.js';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(+v.toPrecision(12));
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function table(name: string, rows: readonly object[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const lines = rows.map((r) => cols.map((c) => cell((r as Record<string, unknown>)[c])).join(','));
  return `# ${name}\n${cols.join(',')}\n${lines.join('\n')}\n`;
}

/**
 * The rows a parser produced, as the golden CSV text kept beside each fixture
 * (`test/fixtures/<format>/<case>.expected.csv`). Numbers keep 12 significant digits.
 */
export function sinkToGolden(sink: MemorySink): string {
  return [
    table('samples', sink.samples),
    table('energy', sink.energies),
    table('temps', sink.temps),
    table('residency', sink.residencies),
    table('io', sink.ios),
    `# skipped_lines ${sink.skippedLines}\n`,
  ].join('');
}

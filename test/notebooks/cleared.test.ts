import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', '..', 'notebooks');
const names = readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort();

interface Cell { cell_type: string; source: string[] | string; outputs?: unknown[]; execution_count?: number | null }
interface Notebook { cells: Cell[]; metadata: { kernelspec?: { name?: string } }; nbformat: number }

const read = (name: string): Notebook => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Notebook;
const code = (nb: Notebook): string =>
  nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');

describe('committed notebooks', () => {
  it('are the numbered set the README describes', () => {
    expect(names).toEqual(['01-ingest-and-explore.ipynb', '02-calibrate.ipynb', '03-attribute-and-replay.ipynb']);
  });

  it.each(names)('%s has its outputs cleared (small diffs)', (name) => {
    const cells = read(name).cells.filter((c) => c.cell_type === 'code');
    expect(cells.length).toBeGreaterThan(0);
    for (const [i, cell] of cells.entries()) {
      expect({ cell: i, outputs: cell.outputs, count: cell.execution_count }).toEqual({ cell: i, outputs: [], count: null });
    }
  });

  it.each(names)('%s runs on the deno kernel and uses the library, not the CLI', (name) => {
    const nb = read(name);
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.kernelspec?.name).toBe('deno');
    const source = code(nb);
    expect(source).toContain("from '../src/index.ts'");
    expect(source).not.toMatch(/src\/cli|bin\.mjs|npx vheat|Deno\.Command|child_process/);
  });
});

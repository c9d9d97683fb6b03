import { describe, expect, it } from 'vitest';
import { parseCtime, startedOnText } from '../../src/ingest/ctime.js';

describe('parseCtime', () => {
  it('reads perf `# started on` ctime as UTC', () => {
    expect(startedOnText('# started on Tue Mar  4 10:00:01 2025')).toBe('Tue Mar  4 10:00:01 2025');
    expect(startedOnText('# time counts')).toBeNull();
    expect(parseCtime('Tue Mar  4 10:00:01 2025')).toBe(Date.UTC(2025, 2, 4, 10, 0, 1) / 1000);
    expect(parseCtime('Tue Nov 24 17:58:08 2026')).toBe(1795543088);
    for (const bad of ['', 'Tue Foo 4 10:00:01 2025', 'Tue Mar 4 25:00:01 2025', 'Tue Mar 4 10:00 2025', 'Mar 4 10:00:01 2025']) {
      expect(parseCtime(bad)).toBeNull();
    }
  });
});

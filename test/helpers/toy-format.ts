import { TraceParseError } from '../../src/errors.js';
import type { FormatSpec } from '../../src/ingest/types.js';

/**
 * A minimal format for driver tests: header `toy`, then `t,joules` lines. Each line becomes an
 * energy row over [previous t, t] and a `toy:ticks` sample; `boom` anywhere is a parse error.
 */
export const toyFormat: FormatSpec = {
  name: 'toy',
  description: 'test-only format',
  input: 'lines',
  sniff: (input) => (input.lines[0] === 'toy' ? 3 : 0),
  create({ file, sink }) {
    let prev = 0;
    return {
      line(text, lineNo) {
        if (text === 'toy' || text === '') return;
        if (text === 'boom') {
          throw new TraceParseError('toy.boom', 'boom', { context: { file, line: lineNo, expected: 't,joules', found: text } });
        }
        const [t, j] = text.split(',').map(Number);
        if (t === undefined || j === undefined || Number.isNaN(t) || Number.isNaN(j)) {
          sink.skip(lineNo);
          return;
        }
        sink.energy(prev, t, 0, 'package', j);
        sink.sample(prev, t, 'host', 'host', null, 'toy:ticks', 1, 1);
        prev = t;
      },
      end() {
        sink.meta({ startEpochSeconds: 1_700_000_000.5, details: { toy: true } });
      },
    };
  },
};

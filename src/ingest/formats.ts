import { TraceParseError, UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { suggestSimilar } from '../util/suggest.js';
import type { FormatSpec, SniffInput } from './types.js';

/**
 * Every format vheat reads, in sniffing priority order (ties go to the earlier entry).
 * One parser per file; each file exports its `FormatSpec`.
 */
export const formats: readonly FormatSpec[] = [
  // formats: one import and one entry per parser file
];

/** The format called `name`; a typo gets a "did you mean". */
export function formatByName(name: string, list: readonly FormatSpec[] = formats): FormatSpec {
  const spec = list.find((f) => f.name === name);
  if (spec) return spec;
  const known = list.map((f) => f.name);
  throw new UsageError('format.unknown', messages.unknownFormatName(name, known), {
    hint: suggestSimilar(name, known),
  });
}

/** The best-matching format for a file head, or undefined when nothing scores above 0. */
export function sniffFormat(input: SniffInput, list: readonly FormatSpec[] = formats): FormatSpec | undefined {
  let best: FormatSpec | undefined;
  let bestScore = 0;
  for (const spec of list) {
    const score = spec.sniff(input);
    if (score > bestScore) {
      best = spec;
      bestScore = score;
    }
  }
  return best;
}

/** Like `sniffFormat`, but a file nothing recognises is a `TraceParseError`. */
export function detectFormat(input: SniffInput, list: readonly FormatSpec[] = formats, file = input.fileName): FormatSpec {
  const spec = sniffFormat(input, list);
  if (spec) return spec;
  throw new TraceParseError('ingest.unknownFormat', messages.unknownFormat(), {
    context: { file, line: 1, found: input.lines[0]?.slice(0, 80) ?? '(empty file)' },
    hint: messages.hintFormatFlag(),
  });
}

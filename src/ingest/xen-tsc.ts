import { BundleError } from '../errors.js';
import { messages } from '../messages.js';
import type { ParseContext } from './types.js';

/** xenalyze's `--cpu-hz` default (Hz), used when the bundle gives no TSC frequency. */
export const DEFAULT_TSC_HZ = 2.4e9;

/**
 * The host TSC frequency in Hz: `options.tscHz` (bundle.json), else 2.4 GHz with a loud
 * warning and `details.tscHzAssumed = true` — a wrong guess rescales every time in the trace.
 */
export function resolveTscHz(ctx: ParseContext): number {
  const given = ctx.options.tscHz;
  if (given !== undefined) {
    if (!Number.isFinite(given) || given <= 0) {
      throw new BundleError('bundle.tscHz', messages.xenBadTscHz(given), { context: { file: ctx.file } });
    }
    ctx.sink.meta({ details: { tscHz: given, tscHzAssumed: false } });
    return given;
  }
  ctx.sink.warn(messages.xenTscHzAssumed(DEFAULT_TSC_HZ));
  ctx.sink.meta({ details: { tscHz: DEFAULT_TSC_HZ, tscHzAssumed: true } });
  return DEFAULT_TSC_HZ;
}

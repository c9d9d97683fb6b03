import { runSeconds, type TickSeconds } from './tick-seconds.js';

/** Migrations over a run. */
export interface MigrationCount {
  count: number;
  /** count / run length, 1/s (NaN for an empty run). */
  perSecond: number;
}

/** vCPU migrations: `migrations` holds the count per tick. */
export function migrationCount(cols: { migrations: Float64Array; dt: TickSeconds }): MigrationCount {
  let count = 0;
  for (const m of cols.migrations) count += m;
  return { count, perSecond: count / runSeconds(cols.dt, cols.migrations.length) };
}

/**
 * Time charged to migrations, s: the count times `costSeconds`, the configured cost of one
 * migration (cache and TLB warm-up of the moved vCPU). No default here: the replay
 * configuration owns it, so every metric of a run uses the same figure.
 */
export function migrationTime(cols: { migrations: Float64Array }, opts: { costSeconds: number }): number {
  let count = 0;
  for (const m of cols.migrations) count += m;
  return count * opts.costSeconds;
}

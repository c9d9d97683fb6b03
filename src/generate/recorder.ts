import type { ChunkWriter } from './chunk-writer.js';
import type { TickFrame } from './frame.js';

/**
 * What a written file holds, for truth.json (`files`) and bundle.json: exactly what its rows
 * add up to when read back, computed from the printed values while writing.
 */
export interface FileSummary {
  file: string;
  /** Parser name in bundle.json (`perf-stat-csv`, `xentrace`, …). */
  format: string;
  /** The command line that would have produced it. */
  command: string;
  bytes: number;
  /** Data rows (lines or binary records) written. */
  rows: number;
  /** The span the tool recorded, s from the start of the simulation. */
  start_seconds: number;
  end_seconds: number;
  /** Joules per domain the file's energy readings add up to (wraps resolved as §3.3). */
  energy_joules?: Record<string, number>;
  /** True energy between the register refreshes behind the file's first and last reading, J per domain. */
  true_energy_joules?: Record<string, number>;
  /** Sum of each event's printed values over all rows (multiplex-scaled, noisy). */
  event_totals?: Record<string, number>;
  /** I/O requests per VM the file's counter deltas add up to (xentop). */
  io_ops?: Record<string, number>;
  /** Times an energy counter in the file wrapped around. */
  wraps?: number;
  /** Extra bundle.json `files[name]` settings (e.g. `interval_seconds`). */
  bundle?: Record<string, unknown>;
}

/** One simulated tool writing one file of the bundle. */
export interface Recorder {
  readonly out: ChunkWriter;
  /** True when the recorder reads `frame.switches`. */
  readonly needsSwitches: boolean;
  /** Observes one simulation tick. */
  tick(frame: TickFrame): void;
  /** Ends the recording after the last tick, closes the file and says what it holds. */
  finish(): Promise<FileSummary>;
}

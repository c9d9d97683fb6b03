import cliProgress from 'cli-progress';
import type { CliIo, GlobalOptions } from './io.js';

/** Progress reporting for long work: a bar on a TTY after the first second, nothing otherwise. */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A byte- or step-based progress bar on stderr. Silent unless stderr is a TTY and neither
 * `--json` nor `--quiet` was given; it appears only once the work has run for a second, so
 * quick commands print nothing extra.
 */
export function createProgress(io: CliIo, options: GlobalOptions, unit: 'bytes' | 'steps' = 'bytes'): Progress {
  if (!io.isTTY || options.json || options.quiet) return silent;
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  const format = unit === 'bytes'
    ? ' {bar} {percentage}% | {doneMiB}/{totalMiB} MiB | {label}'
    : ' {bar} {percentage}% | {value}/{total} | {label}';
  return {
    update(done, total, label = '') {
      const payload = { label, doneMiB: (done / 2 ** 20).toFixed(1), totalMiB: (total / 2 ** 20).toFixed(1) };
      if (!bar) {
        if (Date.now() - started < 1000) return;
        bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic);
        bar.start(total, done, payload);
      }
      bar.setTotal(total);
      bar.update(done, payload);
    },
    stop() {
      bar?.stop();
    },
  };
}

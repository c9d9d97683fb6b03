import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { powercapHeader } from '../ingest/powercap.js';

/** Settings of one powercap recording. */
export interface PowercapReading {
  /** The powercap class folder, normally /sys/class/powercap. */
  root: string;
  /** Zone folder names under `root` (`intel-rapl:0`, `intel-rapl:0:0`, …). */
  zones: readonly string[];
  intervalMs: number;
  /** How long to read, seconds; readings at 0, interval, 2·interval, … up to this. */
  durationSeconds: number;
  /** The CSV file to write. */
  out: string;
  /** Stops the reading early (the file keeps what was read). */
  signal?: AbortSignal;
}

/** Unix epoch seconds with µs, as text. */
function epochText(): string {
  return ((performance.timeOrigin + performance.now()) / 1000).toFixed(6);
}

async function readTrimmed(path: string): Promise<string> {
  return (await readFile(path, 'utf8')).trim();
}

/**
 * vheat's powercap dump (the `powercap` format, src/ingest/powercap.ts): the exact header, then
 * one `time,zone,name,energy_uj,max_energy_range_uj` line per zone and reading, time in epoch
 * seconds taken as each zone is read. `name` and the range are read once (they do not change);
 * readings follow a fixed schedule from the start, so a slow read does not shift later ones.
 * Returns the number of readings (rounds over all zones).
 */
export async function recordPowercap(options: PowercapReading): Promise<number> {
  const zones = await Promise.all(options.zones.map(async (zone) => {
    const dir = join(options.root, zone);
    return { zone, dir, name: await readTrimmed(join(dir, 'name')), range: await readTrimmed(join(dir, 'max_energy_range_uj')) };
  }));
  const file = await open(options.out, 'w');
  const rounds = Math.floor((options.durationSeconds * 1000) / options.intervalMs) + 1;
  const start = performance.now();
  let done = 0;
  try {
    await file.write(`${powercapHeader}\n`);
    for (; done < rounds && !options.signal?.aborted; done++) {
      const wait = start + done * options.intervalMs - performance.now();
      if (wait > 0 && !(await sleep(wait, true, { signal: options.signal }).catch(() => false))) break;
      let text = '';
      for (const z of zones) {
        const energy = await readTrimmed(join(z.dir, 'energy_uj'));
        text += `${epochText()},${z.zone},${z.name},${energy},${z.range}\n`;
      }
      await file.write(text);
    }
  } finally {
    await file.close();
  }
  return done;
}

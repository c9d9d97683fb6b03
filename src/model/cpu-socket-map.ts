import { messages } from '../messages.js';
import { readCpuSockets } from '../store/cpu-sockets.js';
import type { Store } from '../store/store.js';

/**
 * The CPU → socket map a per-socket model reads `traceIds` with: `given` (`--cpu-socket`) when
 * there is one, else the map the recording gives (bundle.json's topology, turbostat's core ids),
 * with a note in `notes` saying whose; undefined when neither says (callers keep their behaviour
 * without a map). `calibrate`, `evaluate` and `attribute` share it, so they split sockets alike.
 */
export async function cpuSocketMap(store: Store, traceIds: readonly number[], given: readonly number[] | undefined,
  notes: string[]): Promise<readonly number[] | undefined> {
  if (given) return given;
  const recorded = await readCpuSockets(store, traceIds);
  if (!recorded) return undefined;
  notes.push(messages.cpuSocketFrom(recorded.cpuSocket.length, new Set(recorded.cpuSocket).size, recorded.sources));
  return recorded.cpuSocket;
}

import { describe, expect, it } from 'vitest';
import { Segments, type TickFrame } from '../../src/generate/frame.js';
import { SwitchList, SwitchTracker } from '../../src/generate/switch-events.js';

/** A tick of 10 µs with segments [entity, pcpu, start, len, blocked]. */
function frame(index: number, segs: [number, number, number, number, number][]): TickFrame {
  const seg = new Segments(8, 1, 0);
  segs.forEach(([e, p, start, len, blocked], k) => {
    seg.entity[k] = e;
    seg.pcpu[k] = p;
    seg.start[k] = start;
    seg.len[k] = len;
    seg.blocked[k] = blocked;
  });
  seg.n = segs.length;
  const none = new Float64Array(2);
  return { index, t0: index * 10, len: 10, last: false, seg, energyStart: none, staticWatts: none, cpuSocket: new Int32Array(2),
    freqMhz: none, freqChanges: [], coreTemps: none, heatsinkTemps: none, ioOps: none, switches: new SwitchList() };
}

/** The tick's switches as [time, pcpu, prev, prevBlocked, next, nextWoke]. */
function switches(f: TickFrame): number[][] {
  const s = f.switches;
  return Array.from({ length: s.n }, (_, k) => [s.time[k]!, s.pcpu[k]!, s.prev[k]!, s.prevBlocked[k]!, s.next[k]!, s.nextWoke[k]!]);
}

describe('SwitchTracker', () => {
  it('derives switches, continuations, wake-ups, preemptions and open spans from segments', () => {
    const tracker = new SwitchTracker(2, 3);
    // tick 0: entity 0 runs on pCPU 0 to the end of the tick; entity 1 runs 2..5 on pCPU 1 and blocks
    const f0 = frame(0, [[0, 0, 0, 10, 0], [1, 1, 2, 3, 1]]);
    tracker.update(f0);
    expect(switches(f0)).toEqual([[0, 0, -1, 0, 0, 0], [2, 1, -1, 0, 1, 0], [5, 1, 1, 1, -1, 0]]);
    // tick 1: entity 0 continues on pCPU 0 and blocks at 14; entity 1 wakes on pCPU 1 and runs to the end
    const f1 = frame(1, [[0, 0, 0, 4, 1], [1, 1, 0, 10, 0]]);
    tracker.update(f1);
    expect(switches(f1)).toEqual([[10, 1, -1, 0, 1, 1], [14, 0, 0, 1, -1, 0]]);
    // tick 2: entity 1 moves to pCPU 0 (preempted on pCPU 1 at the boundary) and entity 2 takes pCPU 1
    const f2 = frame(2, [[1, 0, 1, 9, 0], [2, 1, 0, 10, 0]]);
    tracker.update(f2);
    expect(switches(f2)).toEqual([[20, 1, 1, 0, 2, 0], [21, 0, -1, 0, 1, 0]]);
    expect(tracker.openSpans()).toEqual([{ entity: 1, pcpu: 0, t0: 21 }, { entity: 2, pcpu: 1, t0: 20 }]);
  });
});

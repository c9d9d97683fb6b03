/**
 * An independent re-reading of sched_switch text for tests: seconds each thread spent on CPU,
 * computed with plain string searches (no parser code shared), by the simple rule
 * "from a switch naming it next until the next switch on that CPU naming it prev".
 * Only complete spans count, so callers compare threads whose spans all close in the file.
 */
export function oracleOnCpuSeconds(text: string): Map<number, { seconds: number; comms: Set<string> }> {
  const occupant = new Map<string, { pid: number; since: number }>();
  const out = new Map<number, { seconds: number; comms: Set<string> }>();
  for (const line of text.split('\n')) {
    if (!line.includes('sched_switch:')) continue;
    const close = line.indexOf('] ');
    const open = line.lastIndexOf('[', close);
    // trace-cmd prefixes (`kvmspike:`) do not matter: one input per file here.
    const cpu = line.slice(open + 1, close);
    const ts = Number(line.slice(close + 2, line.indexOf(':', close)).trim());
    const payload = line.slice(line.indexOf('sched_switch:') + 'sched_switch:'.length).trim();
    const [prev, next] = payload.split(' ==> ') as [string, string];
    const pidOf = (side: string, kernelKey: string): [number, string] => {
      const k = side.indexOf(kernelKey);
      if (k >= 0) {
        const comm = side.slice(side.indexOf('=') + 1, k);
        return [parseInt(side.slice(k + kernelKey.length), 10), comm];
      }
      const bracket = side.lastIndexOf(' [');
      const colon = side.lastIndexOf(':', bracket);
      return [parseInt(side.slice(colon + 1, bracket), 10), side.slice(0, colon)];
    };
    const [prevPid, prevComm] = pidOf(prev, ' prev_pid=');
    const [nextPid] = pidOf(next, ' next_pid=');
    const o = occupant.get(cpu);
    if (o && o.pid === prevPid) {
      const entry = out.get(prevPid) ?? { seconds: 0, comms: new Set<string>() };
      entry.seconds += ts - o.since;
      entry.comms.add(prevComm);
      out.set(prevPid, entry);
    }
    occupant.set(cpu, { pid: nextPid, since: ts });
  }
  return out;
}

/**
 * Line grammars shared by the KVM host-trace parsers (TRACE-FORMATS.md §5.1–5.3): the record
 * heads of the ftrace `trace` file, `trace-cmd report` and `perf script`, and the payloads of
 * `sched_switch`, `kvm_entry` and `kvm_exit`. Pure functions; every parser returns null for text
 * that is not its production, so callers decide between skipping and failing.
 */

/** One tracepoint record, whatever tool printed it. */
export interface TracepointRecord {
  /** `trace-cmd report` instance or input-file prefix (`kvmspike`); '' when absent. */
  src: string;
  /** Name of the task current when the event fired, as printed (`CPU 0/KVM`, `<idle>`). */
  comm: string;
  /** Its thread id (kernel pid); -1 when perf did not know the thread (`:-1  -1`). */
  tid: number;
  /** Its process id (tgid) when the line shows one, else null. */
  tgid: number | null;
  cpu: number;
  /** Timestamp text as printed, seconds with 6 or 9 decimals (for `TraceClock`). */
  ts: string;
  /** Event name without its system: `sched_switch`, `kvm_exit`. */
  event: string;
  /** The event's system when printed (perf: `kvm`, `kvmmmu`, `sched`); null in ftrace text. */
  system: string | null;
  /** Everything after `<event>:`, trailing blanks removed. */
  payload: string;
}

// §5.1(a): `<comm>-<pid> [(<tgid>)] [<cpu>] [<flags>] <ts>: <event>: <payload>`. The lazy comm
// stops at the first `-<digits> … [cpu]`, so dashes inside names (`memfd:sealed-91-3704`) work.
const FTRACE_HEAD =
  /^\s*(.+?)-(\d+)\s+(?:\(\s*([\d-]+)\)\s+)?\[(\d{1,5})\]\s+(?:([^\s[\]]{4,8})\s+)?(\d{1,12}\.\d+):\s+([\w:.-]+):\s*(.*)$/;
// §5.1(b): trace-cmd prefixes each line with `<instance or file>: `, right-aligned to the longest
// name, when it reports several buffers or files.
const TRACE_CMD_PREFIX = /^\s*(\S+?):\s+/;
// §5.1(c): `<comm> <tid>|<pid>/<tid> [<cpu>] <ts>: [<period>] <sys>:<event>: <payload>`; perf
// prints `:-1  -1` for a thread it has no record of (a task that has just exited).
const PERF_HEAD =
  /^\s*(.+?)\s+(-?\d+)(?:\/(-?\d+))?\s+\[(\d{1,5})\]\s+(\d{1,12}\.\d+):\s+(?:\d+\s+)?([\w.-]+):([\w.-]+):\s*(.*)$/;

function eventName(event: string): string {
  return event.slice(event.lastIndexOf(':') + 1);
}

/** A record line of the ftrace `trace`/`trace_pipe` file (§5.1(a)), or null. */
export function parseFtraceLine(line: string, src = ''): TracepointRecord | null {
  const m = FTRACE_HEAD.exec(line);
  if (!m) return null;
  const tgid = m[3] === undefined || m[3].includes('-') ? null : Number(m[3]);
  return {
    src, comm: m[1]!.trim(), tid: Number(m[2]), tgid, cpu: Number(m[4]), ts: m[6]!,
    event: eventName(m[7]!), system: null, payload: m[8]!.trimEnd(),
  };
}

/**
 * A record line of `trace-cmd report` (§5.1(b)), or null: the ftrace grammar, after a
 * `<name>: ` prefix when there is one. A comm never holds `: ` followed by a record head, and
 * unprefixed lines are tried whole when the prefixed reading fails.
 */
export function parseTraceCmdLine(line: string): TracepointRecord | null {
  const p = TRACE_CMD_PREFIX.exec(line);
  return (p && parseFtraceLine(line.slice(p[0].length), p[1]!)) || parseFtraceLine(line);
}

/** A record line of `perf script` (§5.1(c)), or null. */
export function parsePerfScriptLine(line: string): TracepointRecord | null {
  const m = PERF_HEAD.exec(line);
  if (!m) return null;
  const first = Number(m[2]);
  const hasTid = m[3] !== undefined;
  const tid = hasTid ? Number(m[3]) : first;
  return {
    src: '', comm: m[1]!, tid, tgid: hasTid && first >= 0 ? first : null, cpu: Number(m[4]),
    ts: m[5]!, event: m[7]!, system: m[6]!, payload: m[8]!.trimEnd(),
  };
}

/** The fields of a `sched_switch` payload that residency needs. */
export interface SchedSwitch {
  prevComm: string;
  prevPid: number;
  /** `R`/`R+` = preempted while runnable; letters joined by `|` = blocked (§5.2). */
  prevState: string;
  nextComm: string;
  nextPid: number;
}

// §5.2(1) kernel format; comms may hold spaces, so anchor on the ` prev_pid=`/` next_pid=` keys.
const SWITCH_KERNEL =
  /^prev_comm=(.*) prev_pid=(\d+) prev_prio=(-?\d+) prev_state=(\S+) ==> next_comm=(.*) next_pid=(\d+) next_prio=(-?\d+)$/;
// §5.2(2) libtraceevent plugin format; the greedy comm takes the last `:<digits>` before ` [`.
const SWITCH_PLUGIN = /^(.*):(\d+) \[(-?\d+)\] (\S+) ==> (.*):(\d+) \[(-?\d+)\]$/;

/** A `sched_switch` payload in either rendering (§5.2), or null. */
export function parseSchedSwitch(payload: string): SchedSwitch | null {
  const kernel = payload.startsWith('prev_comm=');
  const m = (kernel ? SWITCH_KERNEL : SWITCH_PLUGIN).exec(payload);
  if (!m) return null;
  return { prevComm: m[1]!, prevPid: Number(m[2]), prevState: m[4]!, nextComm: m[5]!, nextPid: Number(m[6]) };
}

/** A `kvm_exit` payload (§5.3): the vCPU when printed (newer kernels) and the exit reason. */
export interface KvmExit {
  vcpu: number | null;
  /** VMX name (maybe with flag words), SVM name or hex code, as printed. */
  reason: string;
}

const KVM_EXIT_RIP = /^(?:vcpu (\d+) )?reason (.+?) rip 0x[0-9a-fA-F]+/;
const KVM_EXIT_SHORT = /^(?:vcpu (\d+) )?reason (\S+)/;
const KVM_ENTRY = /^vcpu (\d+)/;

/**
 * A `kvm_exit` payload, or null. The reason runs up to ` rip 0x…`; abridged lines without the
 * rip field keep the first word only, because the remaining words are other fields.
 */
export function parseKvmExit(payload: string): KvmExit | null {
  const m = KVM_EXIT_RIP.exec(payload) ?? KVM_EXIT_SHORT.exec(payload);
  if (!m) return null;
  return { vcpu: m[1] === undefined ? null : Number(m[1]), reason: m[2]! };
}

/** The vCPU id of a `kvm_entry` payload (`vcpu <u>[, rip …]`), or null. */
export function parseKvmEntry(payload: string): number | null {
  const m = KVM_ENTRY.exec(payload);
  return m ? Number(m[1]) : null;
}

// trace-cmd: `CPU:<n> [<k> EVENTS DROPPED]` / `CPU:<n> [EVENTS DROPPED]`; ftrace:
// `CPU:<n> [LOST <k> EVENTS]` / `CPU:<n> [LOST EVENTS]`, printed before the record after a loss.
const LOST_EVENTS = /^\s*(?:(\S+?):\s+)?CPU:(\d{1,5}) \[(?:LOST )?(?:(\d+) )?EVENTS(?: DROPPED)?\]\s*$/;

/** A lost-events marker line: which CPU (and trace-cmd prefix) lost how many events, or null. */
export function parseLostEvents(line: string): { src: string; cpu: number; lost: number | null } | null {
  const m = LOST_EVENTS.exec(line);
  if (!m) return null;
  return { src: m[1] ?? '', cpu: Number(m[2]), lost: m[3] === undefined ? null : Number(m[3]) };
}

/**
 * For sniffing: true when most of the first `max` lines that are not `#` comments parse with
 * `parse` (perf and trace-cmd may put a warning line or two before the records).
 */
export function mostlyRecords(lines: readonly string[], parse: (line: string) => unknown, max = 8): boolean {
  let seen = 0;
  let hits = 0;
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    if (parse(line) !== null) hits++;
    if (++seen === max) break;
  }
  return hits > 0 && hits * 2 >= seen;
}

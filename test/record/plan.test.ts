import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseBundle } from '../../src/ingest/bundle.js';
import { ingest } from '../../src/ingest/ingest.js';
import { messages } from '../../src/messages.js';
import { planRecording } from '../../src/record/plan.js';
import { dom0BackendFile } from '../../src/record/plan-xen.js';
import type { PlanOptions } from '../../src/record/plan-types.js';
import { probeHost } from '../../src/record/probe.js';
import { reasons } from '../../src/record/reasons.js';
import { openStore } from '../../src/store/store.js';
import { fakeHostEnv, type FakeHost } from '../helpers/fake-host.js';
import { fixturePath } from '../helpers/fixtures.js';
import { kvmLibvirt, kvmNested, xenDom0 } from './fake-hosts.js';

const options: PlanOptions = { durationSeconds: 30, intervalMs: 100, outDir: '/rec' };

async function plan(host: FakeHost, more: Partial<PlanOptions> = {}) {
  const caps = await probeHost(fakeHostEnv(host));
  return { caps, plan: planRecording(caps, { ...options, ...more }) };
}

const golden = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

describe('planRecording on the three fake hosts (golden plans, checked by hand)', () => {
  it.each([
    ['xen-dom0', xenDom0],
    ['kvm-libvirt', kvmLibvirt],
    ['kvm-nested', kvmNested],
  ] as const)('%s', async (name, host) => {
    const { caps, plan: p } = await plan(host());
    await expect(golden({ capabilities: caps, plan: { steps: p.steps, skipped: p.skipped }, bundle: p.bundle }))
      .toMatchFileSnapshot(fixturePath('record', `${name}.plan.json`));
    // the bundle is valid as written (zod adds nothing: every default is already explicit)
    expect(parseBundle(JSON.parse(JSON.stringify(p.bundle)))).toEqual(p.bundle);
  });

  it('Xen dom0: Xen tools and perf on the backend threads, with the reasons perf, sched_switch, RAPL and turbostat are skipped', async () => {
    const { plan: p } = await plan(xenDom0());
    expect(p.steps.map((s) => s.recorder)).toEqual(['xentrace', 'xentop', 'xenpm', 'perf-backend']);
    expect(p.skipped).toEqual([
      { recorder: 'perf-percpu', reason: reasons.percpuXen() },
      { recorder: 'perf-threads', reason: reasons.perThreadXen() },
      { recorder: 'sched-switch', reason: reasons.schedXen() },
      { recorder: 'hardware-counters', reason: reasons.noHardwarePmu(reasons.pmuListed(['breakpoint', 'software', 'tracepoint']), reasons.pmuWhyXen()) },
      { recorder: 'rapl', reason: reasons.noRapl(reasons.raplWhyXen()) },
      { recorder: 'turbostat', reason: reasons.turbostatXen() },
    ]);
    expect(p.skipped[4]!.reason).toBe('no RAPL: /sys/class/powercap has no intel-rapl zones and perf has no power PMU ' +
      '(Xen dom0 cannot read RAPL MSRs; use an external meter)');
    expect(p.bundle).toMatchObject({ hypervisor: 'xen', tsc_hz: 2_095_076_000, topology: { sockets: 1, cores_per_socket: 4, threads_per_core: 2 } });
  });

  it('libvirt KVM as root with paranoid 2: everything runs, nothing is skipped', async () => {
    const { plan: p } = await plan(kvmLibvirt());
    expect(p.skipped).toEqual([]);
    expect(p.steps.map((s) => `${s.phase}:${s.recorder}`)).toEqual([
      'record:perf-percpu', 'record:perf-threads', 'record:perf-cgroups', 'record:sched-switch', 'record:powercap',
      'record:turbostat', 'post:sched-switch',
    ]);
    const cgroups = p.steps.find((s) => s.recorder === 'perf-cgroups');
    expect(cgroups?.kind === 'command' && cgroups.argv.slice(cgroups.argv.indexOf('-G'), cgroups.argv.indexOf('-G') + 2)).toEqual([
      '-G', [...Array(4).fill('machine.slice/machine-qemu\\x2d1\\x2dweb01.scope'),
        ...Array(4).fill('machine.slice/machine-qemu\\x2d2\\x2ddb01.scope')].join(','),
    ]);
  });

  it('the kvm-nested spike host: software counters only, and says why there is no PMU, RAPL or turbostat', async () => {
    const { plan: p } = await plan(kvmNested());
    expect(p.skipped.map((s) => s.recorder)).toEqual(['hardware-counters', 'rapl', 'turbostat']);
    expect(p.skipped[0]!.reason).toBe(reasons.noHardwarePmu(reasons.pmuListed(['breakpoint', 'msr', 'software', 'tracepoint', 'uprobe']),
      reasons.pmuWhyNested()));
    expect(p.skipped[1]!.reason).toBe(reasons.noRapl(reasons.raplWhyNested()));
    expect(p.skipped[2]!.reason).toBe(reasons.turbostatNoMsr());
    // the spike's own command lines (README): -G after -e, one cgroup per event
    const cgroups = p.steps.find((s) => s.recorder === 'perf-cgroups');
    expect(cgroups?.kind === 'command' && cgroups.argv.join(' ')).toBe(
      '/usr/bin/perf stat -I 100 -x, -a -e task-clock,context-switches -G kvmspike,kvmspike -o /rec/cgroups.csv -- sleep 30');
  });
});

describe('dom0\'s backend threads (Xen)', () => {
  it('counts the guests\' blkback/vif threads per thread, into the file vheat generate writes, and ingest reads it as their backend series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vheat-backend-'));
    const { caps, plan: p } = await plan(xenDom0(), { outDir: dir });
    expect(caps.vms.map((vm) => [vm.name, vm.backendTids])).toEqual([['Domain-0', undefined], ['web01', [1203, 1210, 1211]], ['db01', [1350, 1351]]]);
    const step = p.steps.find((s) => s.recorder === 'perf-backend');
    // no vPMU in this dom0: software events only
    expect(step?.kind === 'command' && step.argv.join(' ')).toBe(`/usr/bin/perf stat -I 100 -x, --per-thread -t 1203,1210,1211,1350,1351 `
      + `-e task-clock,context-switches,cpu-migrations,page-faults -o ${join(dir, dom0BackendFile)} -- sleep 30`);
    expect(p.bundle.files![dom0BackendFile]).toEqual({ format: 'perf-stat-csv' });
    // what perf 6.1 prints for it (comm-tid, as in the generated perf-stat-dom0.csv), with the plan's bundle.json
    writeFileSync(join(dir, dom0BackendFile), '# started on Tue Nov 24 17:56:32 2026\n\n'
      + '     0.100399025,blkback.1.xvda-1203,12.50,msec,task-clock,12500000,100.00,0.125,CPUs utilized\n'
      + '     0.100399025,vif1.0-q0-guest-1210,2.50,msec,task-clock,2500000,100.00,0.025,CPUs utilized\n'
      + '     0.100399025,blkback.2.xvdb-1351,7.00,msec,task-clock,7000000,100.00,0.070,CPUs utilized\n');
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ ...p.bundle, files: { [dom0BackendFile]: p.bundle.files![dom0BackendFile] } }));
    const store = await openStore(':memory:');
    await ingest(store, [dir]);
    const rows = await store.query(`SELECT entity, sum(value) AS ms FROM samples WHERE scope = 'vm' AND derivation = 'backend'
      AND event = 'task-clock' GROUP BY entity ORDER BY entity`);
    store.close();
    expect(rows.map((r) => [r.entity, Number(r.ms)])).toEqual([['db01', 7], ['web01', 15]]);
  }, 60_000);

  it('skips them, saying why, when no guest has a backend thread or perf may not attach', async () => {
    const host = xenDom0();
    for (const pid of [1203, 1210, 1211, 1350, 1351]) delete host.files[`/proc/${pid}/comm`];
    expect((await plan(host)).plan.skipped).toContainEqual({ recorder: 'perf-backend', reason: reasons.backendNone() });
    const { plan: some } = await plan(xenDom0(), { vms: ['db01'] });
    const step = some.steps.find((s) => s.recorder === 'perf-backend');
    expect(step?.kind === 'command' && step.argv[step.argv.indexOf('-t') + 1]).toBe('1350,1351');
    const user = xenDom0();
    user.files['/proc/self/status'] = 'Name:\tnode\nUid:\t1000\t1000\t1000\t1000\n';
    expect((await plan(user)).plan.skipped).toContainEqual({ recorder: 'perf-backend', reason: reasons.backendNotRoot() });
  });
});

describe('what a plan skips, and why', () => {
  it('an unprivileged user with paranoid 2 gets nothing, each with its reason', async () => {
    const { plan: p } = await plan(kvmLibvirt({ uid: 1000 }));
    expect(p.steps).toEqual([]);
    expect(p.skipped).toEqual([
      { recorder: 'perf-percpu', reason: 'perf_event_paranoid=2 and not root: per-CPU counters need root or paranoid ≤ 0' },
      { recorder: 'perf-threads', reason: reasons.qemuOtherUser('web01', 64055) },
      { recorder: 'perf-threads', reason: reasons.qemuOtherUser('db01', 64055) },
      { recorder: 'perf-cgroups', reason: reasons.perfSystemWide(2, 'per-cgroup counters') },
      { recorder: 'sched-switch', reason: reasons.schedNoTracefs() },
      { recorder: 'powercap', reason: reasons.powercapUnreadable() },
      { recorder: 'turbostat', reason: reasons.turbostatNotRoot() },
    ]);
  });

  it('paranoid -1 lets a user record system-wide, and tracepoints when tracefs is visible', async () => {
    const host = kvmLibvirt({ uid: 1000 });
    host.files['/proc/sys/kernel/perf_event_paranoid'] = '-1\n';
    host.files['/sys/kernel/tracing/events/sched/sched_switch/format'] = 'name: sched_switch\n';
    const { plan: p } = await plan(host);
    expect(p.steps.map((s) => s.recorder)).toEqual(['perf-percpu', 'perf-cgroups', 'sched-switch', 'sched-switch']);
    host.files['/proc/sys/kernel/perf_event_paranoid'] = '0\n';
    const { plan: q } = await plan(host);
    expect(q.skipped).toContainEqual({ recorder: 'sched-switch', reason: reasons.perfTracepoints(0) });
  });

  it('paranoid 3 (Debian) disables perf for users altogether', async () => {
    const host = kvmLibvirt({ uid: 1000 });
    host.files['/proc/sys/kernel/perf_event_paranoid'] = '3\n';
    const { plan: p } = await plan(host);
    expect(p.skipped[0]).toEqual({ recorder: 'perf', reason: reasons.perfDisabled(3) });
  });

  it('falls back to trace-cmd for sched_switch when perf is not installed', async () => {
    const host = kvmNested();
    delete host.tools['perf'];
    const { plan: p } = await plan(host);
    const sched = p.steps.filter((s) => s.recorder === 'sched-switch').map((s) => s.kind === 'command' && s.argv.join(' '));
    expect(sched).toEqual([
      '/usr/bin/trace-cmd record -e sched:sched_switch -o /rec/sched.dat sleep 30',
      '/usr/bin/trace-cmd report -i /rec/sched.dat',
    ]);
    expect(p.bundle.files).toMatchObject({ 'sched.dat': { format: 'ignore' }, 'sched.txt': { format: 'trace-cmd-report' } });
    expect(p.skipped[0]).toEqual({ recorder: 'perf', reason: reasons.perfMissing() });
  });

  it('a QEMU sharing its cgroup gets no per-cgroup counters, and unnamed threads are noted', async () => {
    const host = kvmNested();
    host.files['/sys/fs/cgroup/unified/kvmspike/cgroup.procs'] = '30466\n30539\n';
    host.files['/proc/30539/task/30545/comm'] = 'qemu-system-x86\n';
    const { caps, plan: p } = await plan(host);
    expect(p.skipped).toContainEqual({ recorder: 'perf-cgroups', reason: reasons.cgroupShared('spike-kvm', '/kvmspike', 1) });
    expect(p.steps.map((s) => s.recorder)).not.toContain('perf-cgroups');
    expect(caps.notes).toEqual([reasons.threadsUnnamed('spike-kvm')]);
    expect(caps.vms[0]).toMatchObject({ name: 'spike-kvm', vcpus: 2 });
    expect(caps.vms[0]!.vcpuTids).toBeUndefined();
  });

  it('--vm limits the per-VM recorders, while bundle.json still names every VM', async () => {
    const { plan: p } = await plan(kvmLibvirt(), { vms: ['db01'] });
    const threads = p.steps.find((s) => s.recorder === 'perf-threads');
    expect(threads?.kind === 'command' && threads.argv[threads.argv.indexOf('-p') + 1]).toBe('5230');
    expect(p.bundle.vms?.map((vm) => vm.name)).toEqual(['web01', 'db01']);
  });

  it('rejects an unknown VM, a bad duration and a too-short interval as usage errors', async () => {
    const caps = await probeHost(fakeHostEnv(kvmLibvirt()));
    expect(() => planRecording(caps, { ...options, vms: ['web1'] })).toThrow(UsageError);
    expect(() => planRecording(caps, { ...options, vms: ['web1'] })).toThrow(messages.recordUnknownVm('web1', ['web01', 'db01']));
    expect(() => planRecording(caps, { ...options, durationSeconds: 0.5 })).toThrow(messages.recordBadDuration('0.5'));
    expect(() => planRecording(caps, { ...options, intervalMs: 5 })).toThrow(messages.recordBadInterval('5'));
  });

  it('a Xen domU records nothing and says to run in dom0', async () => {
    const host = xenDom0();
    host.files['/proc/xen/capabilities'] = '';
    const { plan: p } = await plan(host);
    expect(p).toMatchObject({ steps: [], skipped: [{ recorder: 'all', reason: reasons.xenDomU() }] });
  });
});

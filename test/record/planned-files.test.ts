import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../src/ingest/formats.js';
import { readSniffInput } from '../../src/ingest/sniff.js';
import { planRecording } from '../../src/record/plan.js';
import type { CommandStep } from '../../src/record/plan-types.js';
import { probeHost } from '../../src/record/probe.js';
import { fakeHostEnv, type FakeHost } from '../helpers/fake-host.js';
import { scenario, xentraceBytes } from '../helpers/xentrace-bytes.js';
import { kvmLibvirt, kvmNested, xenDom0 } from './fake-hosts.js';

const started = '# started on Tue Nov 24 17:56:32 2026\n\n';

/**
 * What each planned command writes, in its first lines: perf 6.1 CSV as this machine and the
 * kvm-nested spike printed it (README), the other tools per TRACE-FORMATS.md.
 */
function sampleOf(step: CommandStep): string | Uint8Array {
  switch (step.recorder) {
    case 'perf-percpu':
      return `${started}     0.100399025,CPU0,100.84,msec,task-clock,100841267,100.00,1.009,CPUs utilized\n` +
        '     0.100399025,CPU1,100.96,msec,task-clock,100962847,100.00,1.005,CPUs utilized\n' +
        '     0.100399025,CPU0,108,,context-switches,100922771,100.00,535.070,/sec\n' +
        '     0.100399025,CPU0,1.53,Joules,power/energy-pkg/,100270000,100.00,,\n';
    case 'perf-threads':
      return `${started}0.100304319,CPU 0/KVM-30545,73.45,msec,task-clock,73454156,100.00,0.734,CPUs utilized\n` +
        '0.100304319,qemu-system-x86-30539,23.56,msec,task-clock,23558034,100.00,0.236,CPUs utilized\n' +
        '0.100617875,CPU 0/KVM-30545,20019,,kvm:kvm_exit,73619885,100.00,,\n';
    case 'perf-backend':
      return `${started}     0.100399025,blkback.1.xvda-1203,12.50,msec,task-clock,12500000,100.00,0.125,CPUs utilized\n` +
        '     0.100399025,vif1.0-q0-guest-1210,3,,context-switches,2500000,100.00,1.200,K/sec\n';
    case 'perf-cgroups':
      return `${started}0.100619547,104.18,msec,task-clock,kvmspike,104182962,100.00,1.041,CPUs utilized\n` +
        '0.100619547,212,,context-switches,kvmspike,104182962,100.00,2.035,K/sec\n';
    case 'sched-switch':
      return step.argv[1] === 'script'
        ? '       CPU 0/KVM 30545 [000] 12611.804350: sched:sched_switch: prev_comm=CPU 0/KVM prev_pid=30545 prev_prio=120 prev_state=R ==> next_comm=bash next_pid=30466 next_prio=120\n' +
          '            bash 30466 [000] 12611.804390: sched:sched_switch: prev_comm=bash prev_pid=30466 prev_prio=120 prev_state=S ==> next_comm=CPU 0/KVM next_pid=30545 next_prio=120\n'
        : 'cpus=2\n' +
          '       CPU 0/KVM-30545 [000] 12611.842507: sched_switch:         CPU 0/KVM:30545 [120] R ==> bash:30466 [120]\n' +
          '            bash-30466 [000] 12611.842590: sched_switch:         bash:30466 [120] S ==> CPU 0/KVM:30545 [120]\n';
    case 'xentrace':
      return xentraceBytes(scenario);
    case 'xentop':
      return '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID\n' +
        '  Domain-0 -----r        812    0.0    4194304   12.5   no limit       n/a     4    0        0        0    0        0        0        0          0          0    0\n' +
        '     web01 --b---        101    0.0    2097152    6.2    2097152       6.2     2    1      120      340    1        0      812     1204       9120      20480    0\n';
    case 'xenpm':
      return 'Start sampling, waiting for CTRL-C or SIGINT or SIGALARM signal ...\nTimeout set to 30 seconds\nElapsed time (ms): 30001\n' +
        'CPU0:\tResidency(ms)\t\tAvg Res(ms)\n  C0\t1234\t( 4.11%)\t0.52\n  C1\t28767\t(95.89%)\t3.10\n  Avg freq\t2094000\tKHz\n';
    case 'turbostat':
      return 'Time_Of_Day_Seconds\tPackage\tCore\tCPU\tAvg_MHz\tBusy%\tBzy_MHz\tTSC_MHz\tIRQ\tCoreTmp\tPkgTmp\tPkgWatt\tRAMWatt\n' +
        '1764028800.100123\t-\t-\t-\t120\t5.12\t2340\t2095\t1234\t45\t48\t95.12\t12.30\n' +
        '1764028800.100123\t0\t0\t0\t130\t5.50\t2360\t2095\t80\t44\t48\t47.50\t6.10\n';
    default:
      throw new Error(`no sample for ${step.recorder}`);
  }
}

const traceCmdHost = (): FakeHost => {
  const host = kvmNested();
  delete host.tools['perf'];
  return host;
};

describe('every planned text or binary output is claimed by the format bundle.json names', () => {
  const perfCsv = ['percpu.csv:perf-stat-csv', 'threads.csv:perf-stat-csv', 'cgroups.csv:perf-stat-csv'];
  it.each([
    ['xen-dom0', xenDom0, ['xentrace.bin:xentrace', 'xentop.txt:xentop', 'xenpm.txt:xenpm', 'perf-stat-dom0.csv:perf-stat-csv']],
    ['kvm-libvirt', kvmLibvirt, [...perfCsv, 'turbostat.txt:turbostat', 'sched.txt:perf-script']],
    ['kvm-nested', kvmNested, [...perfCsv, 'sched.txt:perf-script']],
    ['kvm-nested, trace-cmd', traceCmdHost, ['sched.txt:trace-cmd-report']],
  ] as const)('%s', async (_, host, outputs) => {
    const dir = mkdtempSync(join(tmpdir(), 'vheat-planned-'));
    const plan = planRecording(await probeHost(fakeHostEnv(host())), { durationSeconds: 30, intervalMs: 100, outDir: dir });
    const files = plan.bundle.files!;
    const checked: string[] = [];
    for (const step of plan.steps) {
      const format = files[step.output]!.format;
      if (format === 'ignore' || step.kind !== 'command') continue;
      writeFileSync(join(dir, step.output), sampleOf(step));
      expect(sniffFormat(await readSniffInput(join(dir, step.output)))?.name, step.output).toBe(format);
      checked.push(`${step.output}:${format}`);
    }
    // powercap.csv comes from vheat's own reader; powercap-reader.test.ts ingests it
    expect(checked).toEqual(outputs);
  });
});

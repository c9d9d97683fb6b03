import { Command } from 'commander';
import { storeInfo, type StoreInfo } from '../store/info.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { withStore } from './with-store.js';

function fmt(x: number | null, digits = 3): string {
  return x === null ? '-' : x.toFixed(digits);
}

function printInfo(io: CliIo, info: StoreInfo): void {
  io.out(`store ${info.path} (schema v${info.schemaVersion}): ${info.traces.length} traces\n`);
  io.out(`rows: ${Object.entries(info.rows).map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  for (const t of info.traces) {
    io.out(`\ntrace ${t.id}  ${t.bundle ? `${t.bundle}/` : ''}${t.name}  [${t.format}]\n`);
    io.out(`  host ${t.host ?? '-'}  hypervisor ${t.hypervisor ?? '-'}  start ${t.startTime ?? '-'}  span ${fmt(t.t0)}..${fmt(t.t1)} s\n`);
    const rows = Object.entries(t.rows).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
    io.out(`  rows ${rows.join(', ') || 'none'}${t.skippedLines ? `  skipped lines ${t.skippedLines}` : ''}\n`);
    if (t.events.length) io.out(`  events ${t.events.length <= 12 ? t.events.join(', ') : `${t.events.slice(0, 12).join(', ')}, … (${t.events.length})`}\n`);
    const energy = Object.entries(t.energyJoules);
    if (energy.length) io.out(`  energy ${energy.map(([d, j]) => `${d} ${j.toFixed(3)} J`).join(', ')}\n`);
  }
}

/** `vheat info`: what the store holds. */
export function makeInfoCommand(io: CliIo): Command {
  return new Command('info')
    .description('traces, hosts, events, time spans, rows per table and energy totals (joules)')
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const info = await withStore(globals, storeInfo);
      if (globals.json) printJson(io, info);
      else printInfo(io, info);
    });
}

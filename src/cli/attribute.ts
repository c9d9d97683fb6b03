import { Command, Option } from 'commander';
import { attribute, type AttributeResult } from '../attribute/attribute.js';
import { idleSplitRules, type IdleSplitRule } from '../attribute/idle-split.js';
import { readModel } from '../model/model-file.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { numberList, positiveNumber } from './parse-options.js';
import { withStore } from './with-store.js';

interface AttributeFlags {
  model: string[];
  trace: string[];
  idleSplit: IdleSplitRule;
  budget?: number;
  cpuSocket?: number[];
  write: boolean;
}

/** J with 3 decimals in a 10-wide column; `—` where there is nothing measured to show. */
const j = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(3)).padStart(10);
const head = (...names: string[]): string => `${'vm'.padEnd(16)} ${names.map((n) => n.padStart(10)).join(' ')}\n`;

function printResult(io: CliIo, r: AttributeResult, stored: boolean): void {
  const b = r.baselines;
  io.out(r.energy_trace === null
    ? `${r.domain} energy estimated by the model over ${r.intervals} intervals of ${r.counts_trace} (VM counts: ${r.derivation}, idle split: ${r.idle_split})\n`
    : `${r.domain} energy of ${r.intervals} intervals of ${r.energy_trace} (VM counts: ${r.derivation}, idle split: ${r.idle_split})\n`);
  io.out(b ? head('joules', 'io J', 'idle J', 'kepler J', 'scaph. J') : head('joules', 'io J', 'idle J'));
  for (const v of r.vms) {
    io.out(`${v.vm.padEnd(16)} ${j(v.joules)} ${j(v.io_joules)} ${j(v.idle_joules)}${b ? ` ${j(b.kepler[v.vm])} ${j(b.scaphandre[v.vm])}` : ''}\n`);
  }
  io.out(`${'host'.padEnd(16)} ${j(r.host_joules)}\n${'idle'.padEnd(16)} ${j(r.idle_joules)}\n${'residual'.padEnd(16)} ${j(r.residual_joules)}\n`);
  io.out(`${'measured'.padEnd(16)} ${j(r.measured_joules)}\n`);
  for (const d of Object.values(r.domains).slice(1)) {
    const books = d.measured_joules === null ? 'estimated' : `residual ${d.residual_joules!.toFixed(3)} of ${d.measured_joules.toFixed(3)} J`;
    io.out(`${d.domain}: ${d.vms.map((v) => `${v.vm} ${v.joules.toFixed(3)} J`).join(', ')}; ${books}\n`);
  }
  if (r.budgets) io.out(`budgets: ${r.budgets.overruns} of ${r.budgets.cells} VM×pCPU intervals over ${r.budgets.watts} W (${r.budgets.over_joules.toFixed(3)} J above)\n`);
  for (const n of r.notes) io.err(`note: ${n}\n`);
  if (stored) io.out(`attribution ${r.attribution_id} stored\n`);
}

/** `vheat attribute`: per-VM and per-vCPU energy with I/O share, closure residual and CPU-time baselines. */
export function makeAttributeCommand(io: CliIo): Command {
  return new Command('attribute')
    .description('per-VM energy from counters through the model, with I/O-emulation share, idle split, closure and baselines '
      + '(model estimates, without closure, when the traces hold no measured energy)')
    .requiredOption('--model <files...>', 'energy model files (one per RAPL domain: package, core, dram); the first sets the intervals')
    .requiredOption('--trace <sel...>', 'the recording\'s traces: ids, names, bundle/name, bundle names or globs')
    .addOption(new Option('--idle-split <rule>', 'static power: by residency, equally, or not at all').choices(idleSplitRules).default('residency'))
    .option('--budget <W>', 'per-VM per-pCPU energy budget in W: account consumed vs budget per interval', positiveNumber())
    .option('--cpu-socket <list>', 'socket of each CPU (e.g. 0,0,1,1) for per-socket models, as given to calibrate; '
      + 'default the map the recording gives', numberList)
    .option('--no-write', 'do not store the per-interval rows')
    .action(async (flags: AttributeFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const models = flags.model.map((f) => readModel(f));
      const result = await withStore(globals, (store) => attribute(store, {
        traces: flags.trace, models, idleSplit: flags.idleSplit, write: flags.write,
        ...(flags.budget !== undefined ? { budgetWatts: flags.budget } : {}),
        ...(flags.cpuSocket ? { cpuSocket: flags.cpuSocket } : {}),
      }));
      if (globals.json) printJson(io, result);
      else if (!globals.quiet) printResult(io, result, flags.write);
    });
}

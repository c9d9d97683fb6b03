import { Command, Option } from 'commander';
import { attribute, type AttributeResult } from '../attribute/attribute.js';
import { idleSplitRules, type IdleSplitRule } from '../attribute/idle-split.js';
import { readModel } from '../model/model-file.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { positiveNumber } from './parse-options.js';
import { withStore } from './with-store.js';

interface AttributeFlags {
  model: string[];
  trace: string[];
  idleSplit: IdleSplitRule;
  budget?: number;
  write: boolean;
}

const j = (x: number): string => x.toFixed(3).padStart(10);

function printResult(io: CliIo, r: AttributeResult): void {
  io.out(`${r.domain} energy of ${r.intervals} intervals of ${r.energy_trace} (VM counts: ${r.derivation}, idle split: ${r.idle_split})\n`);
  io.out(`${'vm'.padEnd(16)} ${'joules'.padStart(10)} ${'io J'.padStart(10)} ${'idle J'.padStart(10)} ${'kepler J'.padStart(10)} ${'scaph. J'.padStart(10)}\n`);
  for (const v of r.vms) {
    io.out(`${v.vm.padEnd(16)} ${j(v.joules)} ${j(v.io_joules)} ${j(v.idle_joules)} ${j(r.baselines.kepler[v.vm]!)} ${j(r.baselines.scaphandre[v.vm]!)}\n`);
  }
  io.out(`${'host'.padEnd(16)} ${j(r.host_joules)}\n${'idle'.padEnd(16)} ${j(r.idle_joules)}\n${'residual'.padEnd(16)} ${j(r.residual_joules)}\n`);
  io.out(`${'measured'.padEnd(16)} ${j(r.measured_joules)}\n`);
  for (const d of Object.values(r.domains).slice(1)) {
    io.out(`${d.domain}: ${d.vms.map((v) => `${v.vm} ${v.joules.toFixed(3)} J`).join(', ')}; residual ${d.residual_joules.toFixed(3)} of ${d.measured_joules.toFixed(3)} J\n`);
  }
  if (r.budgets) io.out(`budgets: ${r.budgets.overruns} of ${r.budgets.cells} VM×pCPU intervals over ${r.budgets.watts} W (${r.budgets.over_joules.toFixed(3)} J above)\n`);
  for (const n of r.notes) io.err(`note: ${n}\n`);
  io.out(`attribution ${r.attribution_id} stored\n`);
}

/** `vheat attribute`: per-VM and per-vCPU energy with I/O share, closure residual and CPU-time baselines. */
export function makeAttributeCommand(io: CliIo): Command {
  return new Command('attribute')
    .description('per-VM energy from counters through the model, with I/O-emulation share, idle split, closure and baselines')
    .requiredOption('--model <files...>', 'energy model files (one per RAPL domain: package, core, dram); the first sets the intervals')
    .requiredOption('--trace <sel...>', 'the recording\'s traces: ids, names, bundle/name, bundle names or globs')
    .addOption(new Option('--idle-split <rule>', 'static power: by residency, equally, or not at all').choices(idleSplitRules).default('residency'))
    .option('--budget <W>', 'per-VM per-pCPU energy budget in W: account consumed vs budget per interval', positiveNumber())
    .option('--no-write', 'do not store the per-interval rows')
    .action(async (flags: AttributeFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const models = flags.model.map((f) => readModel(f));
      const result = await withStore(globals.db, (store) => attribute(store, {
        traces: flags.trace, models, idleSplit: flags.idleSplit, write: flags.write,
        ...(flags.budget !== undefined ? { budgetWatts: flags.budget } : {}),
      }));
      if (globals.json) printJson(io, result);
      else if (!globals.quiet) printResult(io, result);
    });
}

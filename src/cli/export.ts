import { Command, Option } from 'commander';
import { exportArrow } from '../store/export-arrow.js';
import { exportTables } from '../store/export.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { withStore } from './with-store.js';

/** `vheat export`: the store's tables as Parquet (Hive-partitioned), Arrow IPC or CSV. */
export function makeExportCommand(io: CliIo): Command {
  return new Command('export')
    .description('write the store as Parquet (partitioned by host and trace), Arrow IPC or CSV')
    .addOption(new Option('--format <format>', 'output format').choices(['parquet', 'arrow', 'csv']).default('parquet'))
    .requiredOption('--out <dir>', 'output folder')
    .action(async (options: { format: 'parquet' | 'arrow' | 'csv'; out: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const result = await withStore(globals, (store) =>
        options.format === 'arrow' ? exportArrow(store, options.out) : exportTables(store, options.format, options.out));
      if (globals.json) printJson(io, result);
      else if (!globals.quiet) {
        for (const t of result.tables) io.out(`${t.table.padEnd(9)} ${String(t.rows).padStart(9)} rows  ${t.path ?? '(empty, not written)'}\n`);
      }
    });
}

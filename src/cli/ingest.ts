import { Command } from 'commander';
import { formats } from '../ingest/formats.js';
import { ingest, type IngestResult } from '../ingest/ingest.js';
import type { RecordingVms } from '../ingest/recordings.js';
import { messages } from '../messages.js';
import { printJson, type CliIo, type GlobalOptions } from './io.js';
import { createProgress } from './progress.js';
import { withStore } from './with-store.js';

function printSummary(io: CliIo, result: IngestResult): void {
  for (const t of result.traces) {
    const counts = Object.entries(t.rows).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
    io.out(`trace ${t.id}  ${t.bundle ? `${t.bundle}/` : ''}${t.name}  [${t.format}]  ${counts || 'no rows'}` +
      `${t.skippedLines ? `  (${t.skippedLines} lines skipped)` : ''}\n`);
    for (const w of t.warnings) io.err(`  warning: ${w.message}${w.count > 1 ? ` (×${w.count})` : ''}\n`);
  }
  for (const d of result.duplicates) {
    io.out(`unchanged  ${d.source}${d.traceId !== null ? ` (already trace ${d.traceId})` : ' (same content twice)'}\n`);
  }
  for (const i of result.ignored) io.err(`ignored  ${i.source}: ${i.reason}\n`);
  for (const r of result.recordings) printVms(io, r);
}

/** The VMs of a recording with how each was identified, so the user can confirm inferred ones. */
function printVms(io: CliIo, r: RecordingVms): void {
  const where = r.bundle ?? r.dir;
  if (r.vms.length > 0) {
    const list = r.vms.map((v) => `${v.name} (${v.sources.map((s) => s.detail).join('; ')})`);
    io.out(`VMs of ${where}: ${list.join(', ')}\n`);
    if (r.vms.some((v) => v.inferred)) io.out(`  inferred: ${messages.vmConfirm()}\n`);
  }
  const derived = Object.entries(r.derived.rows).map(([rule, n]) => `${n} ${rule}`).join(', ');
  if (derived) io.out(`  per-VM/per-vCPU samples derived: ${derived}\n`);
  for (const note of r.derived.notes) io.err(`  note: ${note}\n`);
}

/** `vheat ingest <paths...>`: files, bundle folders and globs into the store. */
export function makeIngestCommand(io: CliIo): Command {
  return new Command('ingest')
    .description('load recordings (files, bundle folders, globs) into the store')
    .argument('<paths...>', 'files, folders (recording bundles) or glob patterns')
    .option('--format <name>', `format of every file instead of detecting it (${formats.map((f) => f.name).join(', ')})`)
    .action(async (paths: string[], options: { format?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const progress = createProgress(io, globals);
      const result = await withStore(globals, (store) =>
        ingest(store, paths, {
          ...(options.format ? { format: options.format } : {}),
          onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal, p.file),
        })).finally(() => progress.stop());
      if (globals.json) {
        printJson(io, {
          traces: result.traces.map((t) => ({
            id: t.id, name: t.name, bundle: t.bundle, format: t.format, host: t.host, source: t.source,
            rows: t.rows, skipped_lines: t.skippedLines, warnings: t.warnings,
          })),
          duplicates: result.duplicates,
          ignored: result.ignored,
          vms: result.recordings.flatMap((r) => r.vms.map((v) => ({ bundle: r.bundle, ...v }))),
          derived_samples: result.recordings.map((r) => ({ bundle: r.bundle, rows: r.derived.rows, notes: r.derived.notes })),
        });
      } else if (!globals.quiet) printSummary(io, result);
    });
}

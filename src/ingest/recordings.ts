import { readFile, stat } from 'node:fs/promises';
import { deriveVmSamples, type DerivedSamples } from '../store/derive-vm-samples.js';
import type { Store } from '../store/store.js';
import { recordVms, seenInTraces } from '../store/vm-records.js';
import type { Bundle, BundleVm } from './bundle.js';
import type { InputFile } from './resolve-inputs.js';
import { completeVms, identifyVms, identityOptions, type SideFile, type VmIdentity } from './vm-identity.js';

/** Side files larger than this are not listings or command lines; they are not read. */
const maxSideFileBytes = 256 * 1024;

/** One recording (a bundle folder, or the folder of files named on their own) and its VMs. */
export interface Recording {
  /** Bundle folder name, or null for files without a bundle. */
  bundle: string | null;
  dir: string;
  /** The VMs known before loading (from bundle.json or side files), completed after. */
  vms: VmIdentity[];
  /** What the parsers get for VM naming (see `parseOptionsFor`). */
  options: { vms: BundleVm[]; vmName?: string };
}

/** A recording's VMs once its traces are loaded, and the samples derived for them. */
export interface RecordingVms {
  bundle: string | null;
  dir: string;
  vms: VmIdentity[];
  derived: DerivedSamples;
}

/** A small unparsed file as text; side files are hints, so one that cannot be read is skipped. */
async function sideFile(input: InputFile): Promise<SideFile | undefined> {
  const info = await stat(input.path).catch(() => undefined);
  if (!info || info.size > maxSideFileBytes) return undefined;
  const text = await readFile(input.path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : { name: input.name, text };
}

/**
 * Groups the inputs by recording and identifies each one's VMs (`identifyVms`): from its
 * bundle.json, else from its files that no format claimed (`sideFiles`: paths), such as
 * `threads.tsv` or `qemu-cmdline.txt`. Keyed by recording folder.
 */
export async function identifyRecordings(inputs: readonly InputFile[], sideFiles: ReadonlySet<string>): Promise<Map<string, Recording>> {
  const groups = new Map<string, { bundle: Bundle | undefined; bundleName: string | null; files: InputFile[] }>();
  for (const input of inputs) {
    let g = groups.get(input.dir);
    if (!g) groups.set(input.dir, g = { bundle: input.bundle, bundleName: input.bundleName, files: [] });
    if (sideFiles.has(input.path)) g.files.push(input);
  }
  const out = new Map<string, Recording>();
  for (const [dir, g] of groups) {
    const files = g.bundle?.vms?.length ? [] : (await Promise.all(g.files.map(sideFile))).filter((f) => f !== undefined);
    const vms = identifyVms(g.bundle, files);
    out.set(dir, { bundle: g.bundleName, dir, vms, options: identityOptions(vms) });
  }
  return out;
}

/**
 * For each recording with traces loaded in this ingest (`loaded`: trace ids by recording
 * folder): completes its VMs from what the traces show, derives per-VM and per-vCPU samples,
 * and records the VMs in `traces.meta.vms`. Traces of the recording loaded by earlier ingests
 * are not revisited. Call inside the ingest transaction.
 */
export async function deriveRecordings(store: Store, recordings: ReadonlyMap<string, Recording>,
  loaded: ReadonlyMap<string, readonly number[]>): Promise<RecordingVms[]> {
  const out: RecordingVms[] = [];
  for (const [dir, traceIds] of loaded) {
    const recording = recordings.get(dir)!;
    const vms = completeVms(recording.vms, await seenInTraces(store, traceIds));
    const derived = await deriveVmSamples(store, traceIds, vms);
    await recordVms(store, traceIds, vms);
    out.push({ bundle: recording.bundle, dir, vms, derived });
  }
  return out;
}

import { join } from 'node:path';
import type { Bundle } from '../ingest/bundle.js';
import type { HostCapabilities, VmInfo } from './capabilities.js';

/** An external recorder: one command, no shell. */
export interface CommandStep {
  kind: 'command';
  recorder: string;
  /** `record` steps run together for the duration; `post` steps run afterwards, in order. */
  phase: 'record' | 'post';
  argv: string[];
  /** The file it writes, relative to the bundle folder (a key of bundle.json `files`). */
  output: string;
  /** True when the command prints `output` on stdout (the runner redirects it). */
  stdout: boolean;
  /** A post step's input file (relative); the step is skipped when that file is missing. */
  input?: string;
  /** The output has no clock of its own: the runner records its start in bundle.json. */
  stampStart?: boolean;
}

/** vheat's own powercap reader (no external tool reads sysfs at an interval). */
export interface PowercapStep {
  kind: 'powercap';
  recorder: 'powercap';
  phase: 'record';
  /** The powercap class folder and the zone folders in it to read. */
  root: string;
  zones: string[];
  intervalMs: number;
  durationSeconds: number;
  output: string;
}

export type RecordingStep = CommandStep | PowercapStep;

/** A recorder that will not run, and why. */
export interface SkippedRecorder {
  recorder: string;
  reason: string;
}

/** What `vheat record` will do: the steps, what it skips and why, and the bundle.json to write. */
export interface RecordingPlan {
  outDir: string;
  durationSeconds: number;
  intervalMs: number;
  steps: RecordingStep[];
  skipped: SkippedRecorder[];
  bundle: Bundle;
}

/** Settings of one recording. */
export interface PlanOptions {
  /** Whole seconds, ≥ 1. */
  durationSeconds: number;
  /** Counter interval in ms (integer, ≥ 10; perf's minimum). */
  intervalMs: number;
  /** Bundle folder the recorders write into. */
  outDir: string;
  /** VM names: per-VM recorders only for these (default: every VM found). */
  vms?: readonly string[];
}

type BundleFiles = NonNullable<Bundle['files']>;

/** Collects steps, skips and bundle file entries while the recorder planners run. */
export class PlanBuilder {
  readonly steps: RecordingStep[] = [];
  readonly skipped: SkippedRecorder[] = [];
  readonly files: BundleFiles = {};

  constructor(readonly caps: HostCapabilities, readonly options: PlanOptions, readonly selectedVms: readonly VmInfo[]) {}

  /** Absolute path of a bundle file. */
  path(name: string): string {
    return join(this.options.outDir, name);
  }

  /** Adds a step; `file` is bundle.json's entry for its output (format `ignore` for binary intermediates). */
  add(step: RecordingStep, file: BundleFiles[string]): void {
    this.steps.push(step);
    this.files[step.output] = file;
  }

  skip(recorder: string, reason: string): void {
    this.skipped.push({ recorder, reason });
  }
}

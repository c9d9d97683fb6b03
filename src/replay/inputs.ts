import { createHash } from 'node:crypto';
import { ModelError, UsageError } from '../errors.js';
import { messages } from '../messages.js';
import type { ModelFile } from '../model/model-file.js';
import { resolveGuestPolicy, resolveHostPolicy } from '../policies/index.js';
import type { PolicySpec, ResolvedPolicy } from '../policies/registry.js';
import type { GuestPolicy, HostPolicy } from '../policies/types.js';
import { countUnplacedEvents, readRecordedLayout, type RecordedLayout, type TraceSelection } from '../store/replay-data.js';
import { selectRecording, type TraceSelector } from '../store/select-recording.js';
import type { Store } from '../store/store.js';
import type { TickClock } from './demand.js';
import { calibrateCoreModel } from './core-model.js';
import { readModelSpec, toReplayModel, type ReplayModel } from './energy-model.js';
import { buildLayout, type ReplayLayout, type TopologyOverride } from './layout.js';
import { scopeTarget, scopedParams } from './scoped-params.js';
import { chooseThermal, type ThermalChoice, type ThermalSpec } from './thermal-choice.js';

/** Default tick, s: 1 ms (see README "Replay": below a core's ~1.7 ms thermal time constant). */
export const defaultTickSeconds = 0.001;
/** Default length of one `replay_series` interval, s. */
export const defaultSeriesSeconds = 1;
/** Default run seed. */
export const defaultSeed = 1;

/** What `replay` is asked to do. */
export interface ReplayOptions {
  /** The recording: SELs (ids, `1,2,3`, names, `bundle/name`, bundle names, globs) of one bundle. */
  trace: TraceSelector;
  /** Energy model: a model file path (`vheat calibrate --out`) or its value. */
  model: string | ModelFile;
  /**
   * Core-domain model: each core is heated by its core-domain power and the heatsink by the rest
   * of the package, as the thermal fit splits the recorded power. Default: one calibrated on the
   * package model's training traces (`calibrateCoreModel`), else cores take all dynamic package power.
   */
  coreModel?: string | ModelFile;
  /** Host policy: registered name, file path, object or factory; defaults to `recorded`. */
  hostPolicy?: PolicySpec<HostPolicy>;
  /** Guest policy: registered name, file path, object or factory; defaults to `default`. */
  guestPolicy?: PolicySpec<GuestPolicy>;
  /**
   * `--param` settings: `key` for the engine and both policies; `POLICY:key` only for the host or
   * guest policy that POLICY names (as given, or its registered name), over `key` for it.
   */
  params?: Readonly<Record<string, string>>;
  /** Run seed (integer); every random stream derives from it. Defaults to 1. */
  seed?: number;
  /** Tick length, s; defaults to 0.001. */
  tickSeconds?: number;
  /** Length of one `replay_series` interval, s; defaults to 1. */
  seriesSeconds?: number;
  /**
   * Thermal parameters: a parameter file (`vheat fit-thermal --out`), its value, or bare
   * parameters; default: fitted to the recording's core temperatures, else the HotSpot-like defaults.
   */
  thermal?: ThermalSpec;
  /** Host shape when the recording does not show it (sockets, cores per socket). */
  topology?: TopologyOverride;
  /** Compare the replay with the recorded energy and temperatures (the fidelity check). */
  validate?: boolean;
  /**
   * A `params` key neither the engine nor a policy reads is an error (default); `ignore` leaves
   * that check to the caller (compare checks over all its policies at once).
   */
  unknownParams?: 'error' | 'ignore';
}

/**
 * What every run over the same recording shares and is costly to find: the thermal parameters
 * (a fit) and the notes about the recording itself. A sweep resolves it once.
 */
export interface SharedInputs {
  thermal: ThermalChoice;
  /** The core-domain model calibrated for runs given none (null or absent when none could be). */
  coreModel?: ModelFile | null;
  recordingNotes: string[];
}

/** Phase 1's result: everything a run needs, resolved and checked, nothing run yet. */
export interface ReplayInputs {
  selection: TraceSelection;
  recorded: RecordedLayout;
  layout: ReplayLayout;
  model: ReplayModel;
  thermal: SharedInputs['thermal'];
  shared: SharedInputs;
  host: ResolvedPolicy<HostPolicy>;
  guest: ResolvedPolicy<GuestPolicy>;
  /** The run's effective parameters (`scopedParams`): unscoped keys, and `name:key` for a policy's own values. */
  params: Readonly<Record<string, string>>;
  unknownParams: 'error' | 'ignore';
  seed: number;
  clock: TickClock;
  ticks: number;
  seriesSeconds: number;
  validate: boolean;
  /** Deterministic id of the run: a hash of the inputs, policies, parameters and seed. */
  runId: string;
  /** Things the user should know (events the model has but the recording lacks, …). */
  notes: string[];
}

function positive(value: number, what: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError('replay.badOption', messages.replayBadNumber(what, value));
  return value;
}

/** A run's id: sha256 (first 16 hex digits) over everything that determines its results. */
export function runIdOf(parts: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/**
 * Phase 1 of `replay`: resolves both policies and the run's effective parameters (`scopedParams`),
 * the trace selection, reads the recording's layout, loads the energy model (checking its events
 * against the per-vCPU samples) and fits or takes the thermal parameters. Reads the store; writes nothing.
 */
export async function resolveInputs(store: Store, options: ReplayOptions, given?: SharedInputs): Promise<ReplayInputs> {
  const tickSeconds = positive(options.tickSeconds ?? defaultTickSeconds, 'tick');
  const seriesSeconds = Math.max(tickSeconds, positive(options.seriesSeconds ?? defaultSeriesSeconds, 'series interval'));
  const seed = options.seed ?? defaultSeed;
  if (!Number.isSafeInteger(seed)) throw new UsageError('replay.badOption', messages.replayBadNumber('seed', seed));
  // Policies and parameters first: a misspelt name or scope fails before the costly thermal fit.
  const hostSpec = options.hostPolicy ?? 'recorded';
  const guestSpec = options.guestPolicy ?? 'default';
  const host = await resolveHostPolicy(hostSpec);
  const guest = await resolveGuestPolicy(guestSpec);
  const params = scopedParams(options.params ?? {}, scopeTarget('host', hostSpec, host), scopeTarget('guest', guestSpec, guest));
  const selection = await selectRecording(store, options.trace);
  const recorded = await readRecordedLayout(store, selection);
  if (recorded.vms.length === 0) {
    throw new UsageError('replay.noResidency', messages.replayNoResidency(selection.label), { hint: messages.hintReplayResidency() });
  }
  const layout = buildLayout(recorded, tickSeconds, options.topology);
  const packageModel = readModelSpec(options.model);
  const coreNotes: string[] = [];
  const coreModel = options.coreModel !== undefined ? readModelSpec(options.coreModel)
    : given ? given.coreModel ?? null : await calibrateCoreModel(store, packageModel, coreNotes);
  const model = toReplayModel(packageModel, layout.sockets, coreModel ?? undefined);
  const notes = [...model.notes];
  const present = new Set(recorded.vcpuEvents);
  const missing = model.energy.events.filter((e) => !present.has(e));
  if (missing.length === model.energy.events.length) {
    throw new ModelError('replay.noEvents', messages.replayNoModelEvents(model.energy.events, recorded.vcpuEvents), {
      hint: messages.hintReplayEvents(),
    });
  }
  if (missing.length) notes.push(messages.replayMissingEvents(missing));
  const shared = given ?? await sharedInputs(store, selection, recorded, model, options.thermal,
    options.coreModel === undefined ? coreModel : null, coreNotes);
  notes.push(...shared.recordingNotes);
  const thermal = shared.thermal;
  const startSeconds = Math.floor(recorded.t0 / tickSeconds) * tickSeconds;
  const ticks = Math.max(0, Math.ceil((recorded.t1 - startSeconds) / tickSeconds - 1e-9));
  const runId = runIdOf({
    v: 1, traces: selection.contentHashes, model: model.hash, host: host.spec ?? host.name, guest: guest.spec ?? guest.name,
    params: Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)), seed, tickSeconds, seriesSeconds,
    thermal: thermal.params, topology: options.topology ?? null,
  });
  return {
    selection, recorded, layout, model, thermal, shared, host, guest, params, unknownParams: options.unknownParams ?? 'error', seed,
    clock: { startSeconds, tickSeconds }, ticks, seriesSeconds, validate: options.validate ?? false, runId, notes,
  };
}

/**
 * The shared part: events the replay cannot place (counted where their vCPU never ran), the
 * thermal parameters (given, or fitted to the recording with its error, or the defaults) and the
 * core-domain model calibrated for runs given none, with `coreNotes` about it. The count reads
 * every sample on a connection of its own, so it runs alongside the thermal choice.
 */
async function sharedInputs(store: Store, sel: TraceSelection, recorded: RecordedLayout, model: ReplayModel,
  given: ThermalSpec | undefined, coreModel: ModelFile | null, coreNotes: readonly string[]): Promise<SharedInputs> {
  const thermalNotes: string[] = [];
  const [unplaced, thermal] = await Promise.all([countUnplacedEvents(store, sel, recorded.vms, model.energy.events),
    chooseThermal(store, sel, given, recorded.coreEntities.length > 0, thermalNotes)]);
  const recordingNotes = [...coreNotes, ...[...unplaced].map(([event, lost]) => messages.replayUnplacedEvents(event, lost)), ...thermalNotes];
  return { thermal, coreModel, recordingNotes };
}

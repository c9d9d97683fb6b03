import type { EnergyDomain } from './types.js';

/**
 * What one turbostat column holds and at which topology level (TRACE-FORMATS.md §2.3).
 * turbostat prints columns in groups: topology, then per-CPU, per-core, per-package counters;
 * a row stops after the last group it has (ragged rows).
 */
export const Col = {
  ignored: 0, // usec (time to gather the row, not a timestamp), Die, Node, APIC, X2APIC
  time: 1, // Time_Of_Day_Seconds, epoch s
  packageId: 2,
  coreId: 3,
  cpuId: 4,
  cpuValue: 5,
  coreValue: 6,
  packageValue: 7,
  coreTemp: 8, // °C
  packageTemp: 9, // °C
  packageEnergy: 10, // W or J of one package
  coreEnergy: 11, // W or J of one core (AMD per-core RAPL)
} as const;
export type ColKind = (typeof Col)[keyof typeof Col];

/** A parsed header line. */
export interface TurbostatHeader {
  names: readonly string[];
  kind: Uint8Array;
  /** Energy domain of energy columns, else null. */
  domain: readonly (EnergyDomain | null)[];
  /** 1 when an energy column is in joules (`--Joules`), 0 when in watts. */
  joules: Uint8Array;
  /** Column indices, -1 when absent. */
  time: number;
  packageId: number;
  coreId: number;
  cpuId: number;
  /** First per-package column: a row reaching it is its package's first row. -1 when none. */
  firstPackage: number;
  /** Index of the first topology column (where `-` marks the summary row), -1 when none. */
  firstTopology: number;
  topologyCount: number;
  /** Columns split on TAB (current turbostat) or on runs of spaces (≈2015 and older). */
  tabs: boolean;
}

const topology: Record<string, ColKind> = {
  usec: Col.ignored, Time_Of_Day_Seconds: Col.time, Package: Col.packageId, pk: Col.packageId,
  Die: Col.ignored, Node: Col.ignored, Core: Col.coreId, cor: Col.coreId, CPU: Col.cpuId,
  APIC: Col.ignored, X2APIC: Col.ignored,
};

// Energy columns: current `*Watt`, `--Joules` `*_J`, and the ≈2013 `*_W` names.
const energyRe = /^(Pkg|Cor|GFX|RAM|Sys)(Watt|_W|_J)$/;
const energyDomain: Record<string, EnergyDomain> = { Pkg: 'package', Cor: 'core', GFX: 'gpu', RAM: 'dram', Sys: 'psys' };

// `CPU%c1` is per hardware thread (turbostat computes c1 per thread); `CPU%c3`… and ≈2013
// `%c3`/`%c6`/`%c7` are per core, `%c0`/`%c1` per CPU.
const coreValueRe = /^(CPU%c(?!1$)\d+|Mod%c\d+|%c[367]|CoreThr)$/;
const packageValueRe = /^(Pkg%pc\d+|Pk%pc\d+|%pc\d+|PKG_%|RAM_%|CPU%LPI|SYS%LPI|GFX.*|SAM.*|Totl%C0|Any%C0|CPUGFX%|UncMHz|UMHz.*)$/;
const coreTempRe = /^(CoreTmp|CTMP)$/;
const packageTempRe = /^(PkgTmp|PTMP)$/;

/** Column names that only a turbostat header carries. */
const anchorRe = /^(Avg_MHz|Busy%|%Busy|Bzy_MHz|TSC_MHz|Time_Of_Day_Seconds|CoreTmp|PkgTmp|CPU%c\d+|Pkg%pc\d+|(Pkg|Cor|GFX|RAM|Sys)(Watt|_W|_J))$/;
/** cpuidle columns (`--show sysfs` headers have nothing else). */
const cstateRe = /^(POLL|C\d+[A-Za-z]*)[%+-]?$/;
/** What a column name may look like; anything else in a header line means a corrupted header. */
const nameRe = /^[A-Za-z%][\w%+\-.#:/]*$/;

/** Splits a header or data line: on TAB when it has one, else on runs of spaces. */
export function splitFields(line: string, tabs: boolean): string[] {
  const body = line.trim();
  if (body === '') return [];
  return tabs ? body.split('\t').map((f) => f.trim()) : body.split(/\s+/);
}

/**
 * True when the fields look like a turbostat header: no numbers, and either a column name only
 * turbostat prints or at least two cpuidle state names. Preamble lines (`cpu0: C1: MWAIT 0x00`)
 * fail this.
 */
export function looksLikeHeader(fields: readonly string[]): boolean {
  let cstates = 0;
  let anchors = 0;
  for (const f of fields) {
    if (f === '' || !Number.isNaN(Number(f))) return false;
    if (anchorRe.test(f)) anchors++;
    else if (cstateRe.test(f)) cstates++;
  }
  return anchors > 0 || cstates >= 2;
}

/** The first field that is not a valid column name, or undefined when all are. */
export function badColumnName(fields: readonly string[]): string | undefined {
  return fields.find((f) => !nameRe.test(f));
}

function knownKind(name: string): ColKind | undefined {
  const topo = topology[name];
  if (topo !== undefined) return topo;
  if (energyRe.test(name)) return Col.packageEnergy;
  if (coreTempRe.test(name)) return Col.coreTemp;
  if (packageTempRe.test(name)) return Col.packageTemp;
  if (coreValueRe.test(name)) return Col.coreValue;
  if (packageValueRe.test(name)) return Col.packageValue;
  return undefined;
}

/**
 * Classifies the columns of a header line (already validated with `badColumnName`).
 * Known names map by table; unknown ones (`--add` counters, new columns) take the scope of the
 * group they sit in, because turbostat prints per-CPU, per-core, then per-package groups.
 * `CorWatt`/`Cor_J` is per-core when it precedes the package group (AMD per-core RAPL) or,
 * with no other package column to compare with, when the CPU vendor is AMD.
 */
export function parseHeader(fields: readonly string[], tabs: boolean, amd: boolean): TurbostatHeader {
  const n = fields.length;
  const kind = new Uint8Array(n);
  const joules = new Uint8Array(n);
  const domain: (EnergyDomain | null)[] = new Array<EnergyDomain | null>(n).fill(null);
  const known: (ColKind | undefined)[] = fields.map(knownKind);
  const isCor = (i: number): boolean => /^Cor(Watt|_W|_J)$/.test(fields[i]!);
  let firstPackage = -1;
  for (let i = 0; i < n && firstPackage < 0; i++) {
    const k = known[i];
    if ((k === Col.packageValue || k === Col.packageTemp || k === Col.packageEnergy) && !isCor(i)) firstPackage = i;
  }
  let firstCore = -1;
  for (let i = 0; i < n; i++) {
    if (isCor(i) && (firstPackage >= 0 ? i < firstPackage : amd)) known[i] = Col.coreEnergy;
    const k = known[i];
    if (firstCore < 0 && (k === Col.coreValue || k === Col.coreTemp || k === Col.coreEnergy)) firstCore = i;
  }
  let firstTopology = -1;
  let topologyCount = 0;
  let firstPackageAny = -1;
  for (let i = 0; i < n; i++) {
    const name = fields[i]!;
    const k = known[i] ?? (firstPackage >= 0 && i > firstPackage ? Col.packageValue
      : firstCore >= 0 && i > firstCore ? Col.coreValue : Col.cpuValue);
    if (firstPackageAny < 0 && (k === Col.packageValue || k === Col.packageTemp || k === Col.packageEnergy)) {
      firstPackageAny = i;
    }
    kind[i] = k;
    const m = energyRe.exec(name);
    if (m) {
      domain[i] = energyDomain[m[1]!]!;
      joules[i] = m[2] === '_J' ? 1 : 0;
    }
    if (topology[name] !== undefined && k !== Col.time && name !== 'usec') {
      if (firstTopology < 0) firstTopology = i;
      topologyCount++;
    }
  }
  return {
    names: fields, kind, domain, joules, tabs, firstTopology, topologyCount, firstPackage: firstPackageAny,
    time: fields.indexOf('Time_Of_Day_Seconds'),
    packageId: kind.indexOf(Col.packageId),
    coreId: kind.indexOf(Col.coreId),
    cpuId: kind.indexOf(Col.cpuId),
  };
}

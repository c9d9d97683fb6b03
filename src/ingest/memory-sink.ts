import type { EnergyDomain, SampleScope, TempScope, TraceFacts, TraceSink } from './types.js';

export interface SampleRow {
  t0: number; t1: number; scope: SampleScope; entity: string; cpu: number | null;
  event: string; value: number | null; enabled: number | null;
}
export interface EnergyRow { t0: number; t1: number; socket: number | null; domain: EnergyDomain; joules: number }
export interface TempRow { t: number; scope: TempScope; entity: string; celsius: number }
export interface ResidencyRow { vm: string; vcpu: number; pcpu: number; t0: number; t1: number }
export interface IoRow { vm: string; t0: number; t1: number; kind: string; ops: number | null; bytes: number | null }

/**
 * A sink that keeps every row as an object. For tests, notebooks and small files only: the
 * store path uses the columnar `StoreSink`.
 */
export class MemorySink implements TraceSink {
  readonly samples: SampleRow[] = [];
  readonly energies: EnergyRow[] = [];
  readonly temps: TempRow[] = [];
  readonly residencies: ResidencyRow[] = [];
  readonly ios: IoRow[] = [];
  readonly facts: Partial<TraceFacts> & { details: Record<string, unknown> } = { details: {} };
  readonly warnings: { message: string; line: number | undefined }[] = [];
  skippedLines = 0;

  sample(t0: number, t1: number, scope: SampleScope, entity: string, cpu: number | null,
    event: string, value: number | null, enabled: number | null): void {
    this.samples.push({ t0, t1, scope, entity, cpu, event, value, enabled });
  }
  energy(t0: number, t1: number, socket: number | null, domain: EnergyDomain, joules: number): void {
    this.energies.push({ t0, t1, socket, domain, joules });
  }
  temp(t: number, scope: TempScope, entity: string, celsius: number): void {
    this.temps.push({ t, scope, entity, celsius });
  }
  residency(vm: string, vcpu: number, pcpu: number, t0: number, t1: number): void {
    this.residencies.push({ vm, vcpu, pcpu, t0, t1 });
  }
  io(vm: string, t0: number, t1: number, kind: string, ops: number | null, bytes: number | null): void {
    this.ios.push({ vm, t0, t1, kind, ops, bytes });
  }
  meta(facts: Partial<TraceFacts>): void {
    const { details, ...rest } = facts;
    Object.assign(this.facts, rest);
    if (details) Object.assign(this.facts.details, details);
  }
  warn(message: string, line?: number): void {
    this.warnings.push({ message, line });
  }
  skip(): void {
    this.skippedLines++;
  }
}

/**
 * The store's documented schema (DESIGN.md "The trace store") as forward migrations. Users and
 * notebooks query these tables directly, so column names are a contract: change them only with
 * a new migration. Tests use the same list to build `:memory:` stores.
 */

export interface Migration {
  version: number;
  description: string;
  statements: readonly string[];
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'traces, samples, energy, temps, residency, io',
    statements: [
      `CREATE TABLE traces (
        trace_id INTEGER PRIMARY KEY,   -- assigned by vheat, stable for the life of the store
        name VARCHAR NOT NULL,          -- file name inside its bundle
        bundle VARCHAR,                 -- bundle folder name (files of one recording share it)
        host VARCHAR,
        hypervisor VARCHAR,             -- xen | kvm | none | NULL (unknown)
        source VARCHAR NOT NULL,        -- absolute path at ingest time
        content_hash VARCHAR NOT NULL UNIQUE, -- sha256 of the file bytes
        format VARCHAR NOT NULL,
        start_time TIMESTAMP,           -- absolute start (UTC) when the file carries one
        ingested_at TIMESTAMP NOT NULL,
        skipped_lines BIGINT NOT NULL,  -- lines that matched no production of the format
        meta JSON                       -- layout, locale, units and warnings found while parsing
      )`,
      `CREATE TABLE samples (
        trace_id INTEGER NOT NULL,
        t0 DOUBLE NOT NULL,             -- s from trace start
        t1 DOUBLE NOT NULL,             -- s from trace start
        scope VARCHAR NOT NULL,         -- cpu|core|die|socket|node|vm|vcpu|thread|cgroup|host
        entity VARCHAR NOT NULL,
        cpu INTEGER,
        event VARCHAR NOT NULL,
        value DOUBLE,                   -- delta over [t0,t1], multiplex-scaled; NULL = not counted
        enabled DOUBLE                  -- fraction of the interval the counter ran (0..1)
      )`,
      `CREATE TABLE energy (
        trace_id INTEGER NOT NULL,
        t0 DOUBLE NOT NULL,
        t1 DOUBLE NOT NULL,
        socket INTEGER,                 -- NULL when the source sums all sockets
        domain VARCHAR NOT NULL,        -- package|core|uncore|dram|psys|gpu
        joules DOUBLE NOT NULL
      )`,
      `CREATE TABLE temps (
        trace_id INTEGER NOT NULL,
        t DOUBLE NOT NULL,
        scope VARCHAR NOT NULL,         -- cpu|core|socket|host
        entity VARCHAR NOT NULL,
        celsius DOUBLE NOT NULL
      )`,
      `CREATE TABLE residency (
        trace_id INTEGER NOT NULL,
        vm VARCHAR NOT NULL,
        vcpu INTEGER NOT NULL,
        pcpu INTEGER NOT NULL,
        t0 DOUBLE NOT NULL,
        t1 DOUBLE NOT NULL
      )`,
      `CREATE TABLE io (
        trace_id INTEGER NOT NULL,
        vm VARCHAR NOT NULL,
        t0 DOUBLE NOT NULL,
        t1 DOUBLE NOT NULL,
        kind VARCHAR NOT NULL,
        ops DOUBLE,
        bytes DOUBLE
      )`,
    ],
  },
  {
    version: 2,
    description: 'samples.derivation: per-VM and per-vCPU rows derived at ingest',
    statements: [
      // NULL = measured as recorded; otherwise the rule that derived the row from measured ones:
      // per-thread | per-vcpu | cgroup | residency-split | backend (see src/ingest/sample-owners.ts)
      'ALTER TABLE samples ADD COLUMN derivation VARCHAR',
    ],
  },
  {
    version: 3,
    description: 'replay results: replay_runs, replay_metrics, replay_series',
    statements: [
      `CREATE TABLE replay_runs (
        run_id VARCHAR PRIMARY KEY,     -- hash of inputs, policies, parameters and seed: same run, same id
        traces VARCHAR NOT NULL,        -- --trace as given
        trace_ids VARCHAR NOT NULL,     -- JSON list of the trace ids read
        model VARCHAR NOT NULL,         -- sha256 of the energy model
        host_policy VARCHAR NOT NULL,
        guest_policy VARCHAR NOT NULL,
        params JSON NOT NULL,           -- --param settings
        seed BIGINT NOT NULL,
        tick_s DOUBLE NOT NULL,
        t0 DOUBLE NOT NULL,             -- replayed span, s on the recording's time axis
        t1 DOUBLE NOT NULL,
        created_at TIMESTAMP NOT NULL,
        summary JSON NOT NULL           -- what vheat replay --json printed
      )`,
      `CREATE TABLE replay_metrics (
        run_id VARCHAR NOT NULL,
        metric VARCHAR NOT NULL,        -- imbalance_mean_c, energy_j, slowdown, … (see replay --json)
        entity VARCHAR NOT NULL,        -- '' for the whole run, else a VM name
        value DOUBLE                    -- NULL where undefined (slowdown of a VM that got nothing)
      )`,
      `CREATE TABLE replay_series (
        run_id VARCHAR NOT NULL,
        t0 DOUBLE NOT NULL,             -- s on the recording's time axis
        t1 DOUBLE NOT NULL,
        entity VARCHAR NOT NULL,        -- S<p>, S<p>-C<c>, a VM name, or host
        metric VARCHAR NOT NULL,        -- energy_j, imbalance_c, temp_c, power_w, run_s, backlog_s, migrations
        value DOUBLE
      )`,
    ],
  },
  {
    version: 4,
    description: 'per-VM energy attribution: attribution, attribution_budgets',
    statements: [
      `CREATE TABLE attribution (
        attribution_id VARCHAR NOT NULL, -- hash of models, traces and rules: same inputs, same id
        trace_id INTEGER NOT NULL,      -- the energy trace whose intervals (and clock) these are
        t0 DOUBLE NOT NULL,             -- s from that trace's start
        t1 DOUBLE NOT NULL,
        role VARCHAR NOT NULL,          -- vm | vcpu | host | idle | residual | measured
        vm VARCHAR,                     -- VM name for vm/vcpu rows
        vcpu VARCHAR,                   -- <vm>/vcpu<n> for vcpu rows
        domain VARCHAR NOT NULL,        -- package | core | dram | …
        joules DOUBLE NOT NULL,         -- all charged to the row: dynamic + io_joules + idle_joules
        io_joules DOUBLE NOT NULL,      -- part of joules spent emulating the VM's I/O (dom0, QEMU I/O, vhost)
        idle_joules DOUBLE NOT NULL,    -- part of joules that is static power under the idle-split rule
        method VARCHAR NOT NULL         -- counter-model | kepler | scaphandre
      )`,
      `CREATE TABLE attribution_budgets (
        attribution_id VARCHAR NOT NULL,
        trace_id INTEGER NOT NULL,
        t0 DOUBLE NOT NULL,
        t1 DOUBLE NOT NULL,
        vm VARCHAR NOT NULL,
        pcpu INTEGER NOT NULL,
        joules DOUBLE NOT NULL,         -- energy the VM's vCPUs used on that pCPU (counter model)
        budget_joules DOUBLE NOT NULL   -- its per-VM per-pCPU budget over the interval
      )`,
    ],
  },
];

/** The newest schema version this vheat writes. */
export const schemaVersion = migrations[migrations.length - 1]!.version;

/**
 * The tables holding rows of one trace, in column order (that of their appenders; samples are
 * staged and inserted with an explicit column list, see staging.ts).
 */
export const traceTables = {
  samples: ['trace_id', 't0', 't1', 'scope', 'entity', 'cpu', 'event', 'value', 'enabled', 'derivation'],
  energy: ['trace_id', 't0', 't1', 'socket', 'domain', 'joules'],
  temps: ['trace_id', 't', 'scope', 'entity', 'celsius'],
  residency: ['trace_id', 'vm', 'vcpu', 'pcpu', 't0', 't1'],
  io: ['trace_id', 'vm', 't0', 't1', 'kind', 'ops', 'bytes'],
} as const;

export type TraceTable = keyof typeof traceTables;
export const traceTableNames = Object.keys(traceTables) as TraceTable[];

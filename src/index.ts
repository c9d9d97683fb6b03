/**
 * vheat's public API. Every CLI verb is a thin shell over the library function of the same
 * name below; notebooks and scripts use these directly.
 */

// ── errors ───────────────────────────────────────────────────────────────────────────────────
export {
  VheatError, TraceParseError, BundleError, StoreError, ModelError, PolicyError, UsageError, ExitCode,
} from './errors.js';
export type { ErrorContext } from './errors.js';

// ── store ────────────────────────────────────────────────────────────────────────────────────
export { Store, openStore, defaultStorePath } from './store/store.js';
export type { Row } from './store/store.js';
export { migrations, schemaVersion, traceTables } from './store/schema.js';
export type { TraceTable } from './store/schema.js';
export { storeInfo } from './store/info.js';
export type { StoreInfo, TraceInfo } from './store/info.js';
export { exportTables } from './store/export.js';
export { exportArrow } from './store/export-arrow.js';
export type { ExportFormat, ExportResult } from './store/export.js';
export { streamColumns } from './store/columns.js';
export type { ColumnChunk } from './store/columns.js';

// ── ingest ───────────────────────────────────────────────────────────────────────────────────
export { ingest } from './ingest/ingest.js';
export type { IngestOptions, IngestResult, IngestedTrace, IngestProgress } from './ingest/ingest.js';
export { formats, formatByName, sniffFormat, detectFormat } from './ingest/formats.js';
export { parseString } from './ingest/parse-string.js';
export { MemorySink } from './ingest/memory-sink.js';
export { bundleSchema, parseBundle, readBundle } from './ingest/bundle.js';
export type { Bundle, BundleVm } from './ingest/bundle.js';
export type {
  FormatSpec, LineParser, ByteParser, ParseContext, ParseOptions, TraceSink, TraceFacts, SniffInput,
  SampleScope, EnergyDomain, TempScope, Topology,
} from './ingest/types.js';

// ── pipeline ─────────────────────────────────────────────────────────────────────────────────
export { demo } from './demo/demo.js';
export type { DemoOptions, DemoResult } from './demo/demo.js';

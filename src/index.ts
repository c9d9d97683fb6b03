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
export { bundleCpuSocket, bundleSchema, parseBundle, readBundle } from './ingest/bundle.js';
export { cpuSocketsSql, readCpuSockets, type RecordedCpuSockets } from './store/cpu-sockets.js';
export { cpuSocketMap } from './model/cpu-socket-map.js';
export type { Bundle, BundleVm } from './ingest/bundle.js';
export type {
  FormatSpec, LineParser, ByteParser, ParseContext, ParseOptions, TraceSink, TraceFacts, SniffInput,
  SampleScope, EnergyDomain, TempScope, Topology,
} from './ingest/types.js';

export { identifyVms, completeVms } from './ingest/vm-identity.js';
export type { VmIdentity, VmSource, VmRule } from './ingest/vm-identity.js';
export { decodeVmCgroup, normalizeCgroup } from './ingest/cgroup-path.js';
export type { VmCgroup } from './ingest/cgroup-path.js';
export { deriveVmSamples, splitByResidency } from './store/derive-vm-samples.js';
export type { DerivedSamples } from './store/derive-vm-samples.js';

// ── energy model (calibrate, evaluate) ───────────────────────────────────────────────────────
export { calibrate } from './model/calibrate.js';
export type { CalibrateOptions, CalibrateResult } from './model/calibrate.js';
export { evaluate } from './model/evaluate.js';
export type { EvaluateOptions, EvaluateResult, TraceEvaluation, Predictions } from './model/evaluate.js';
export { readModel, writeModel, parseModel, modelFileSchema, modelFileVersion } from './model/model-file.js';
export type { ModelFile } from './model/model-file.js';
export { fitStats } from './model/fit-stats.js';
export type { FitStats } from './model/fit-stats.js';
export { selectTraces, workloadOf } from './model/select-traces.js';
export { globToRegExp, matchTraces, type NamedTrace } from './util/match-traces.js';
export { checkOneRecording, selectRecording, type TraceSelector } from './store/select-recording.js';
export type { TraceSelection } from './store/replay-data.js';

// ── attribution (per-VM energy) ──────────────────────────────────────────────────────────────
export { attribute } from './attribute/attribute.js';
export type { AttributeOptions, AttributeResult } from './attribute/attribute.js';
export { idleSplitRules } from './attribute/idle-split.js';
export type { IdleSplitRule } from './attribute/idle-split.js';

// ── charts ───────────────────────────────────────────────────────────────────────────────────
export { chart, chartSpec, listChartKinds, registerChartKind } from './charts/chart.js';
export type { ChartKind, ChartVerbOptions } from './charts/chart.js';
export type { ChartOptions, VegaLiteSpec } from './charts/spec.js';
export { renderChart } from './charts/render.js';
export type { RenderOptions, ChartFormat } from './charts/render.js';
export { chartThemes, okabeIto } from './charts/themes.js';
export type { ChartTheme, ThemeName } from './charts/themes.js';
export { chartInputFromStore } from './charts/store-input.js';
export type { StoreChartOptions } from './charts/store-input.js';
export {
  loadComparison, summarizeComparison, policyComparisonInput, overheadTradeoffInput, imbalanceCdfInput, overheadMeasures,
  comparedMetrics, policyLabel,
} from './charts/comparison.js';
export type { Comparison, ComparisonPolicy, OverheadMeasure } from './charts/comparison.js';
export { modelFitInput, modelWeightsInput } from './charts/model-input.js';

// ── generate (synthetic recordings with ground truth) ─────────────────────────────────────────
export { generate, listScenarios, loadScenario } from './generate/generate.js';
export type { GenerateOptions, GenerateResult, ScenarioListing } from './generate/generate.js';
export { parseScenario, scenarioSchema } from './generate/scenario.js';
export type { Scenario, ScenarioInput } from './generate/scenario.js';
export { shippedScenarios } from './generate/scenarios/index.js';
export { parseDuration } from './util/duration.js';

// ── report ───────────────────────────────────────────────────────────────────────────────────
export { report } from './report/report.js';
export type { ReportOptions, ReportResult } from './report/report.js';
export { comparisonCsv } from './report/comparison-csv.js';

// ── record ───────────────────────────────────────────────────────────────────────────────────
export { record } from './record/record.js';
export type { RecordOptions, RecordResult } from './record/record.js';
export { probeHost } from './record/probe.js';
export { planRecording } from './record/plan.js';
export { runPlan } from './record/run.js';
export { nodeHostEnv } from './record/host-env.js';
export type { HostEnv } from './record/host-env.js';
export type { HostCapabilities } from './record/capabilities.js';
export type { RecordingPlan, RecordingStep } from './record/plan-types.js';

// ── thermal model ────────────────────────────────────────────────────────────────────────────
export { buildRcNetwork, steadyState, rowNeighbours } from './thermal/rc-network.js';
export type { ThermalParams, RcNetwork } from './thermal/rc-network.js';
export { defaultThermalParams } from './thermal/defaults.js';
export { expm } from './thermal/expm.js';
export { ThermalStepper } from './thermal/step.js';
export { fitThermal } from './thermal/fit.js';
export type { ThermalFit, ThermalFitOptions } from './thermal/fit.js';
export { calibrateThermal, calibrateSeries } from './thermal/fit-store.js';
export { fitThermalFile } from './thermal/fit-thermal-file.js';
export type { FitThermalFileOptions, FitThermalFileResult } from './thermal/fit-thermal-file.js';
export { readThermalFile, writeThermalFile, parseThermalFile, thermalFileSchema, thermalFileVersion } from './thermal/thermal-file.js';
export type { ThermalFile } from './thermal/thermal-file.js';
export { predictSeries, predictSeriesFrom } from './thermal/predict-series.js';
export type { SeriesStart } from './thermal/predict-series.js';

// ── replay and policies ──────────────────────────────────────────────────────────────────────
export { replay } from './replay/replay.js';
export type { ReplayRunOptions, ReplayResult, ReplaySummary } from './replay/replay.js';
export { defaultTickSeconds } from './replay/inputs.js';
export type { ReplayOptions } from './replay/inputs.js';
export { compare, parseShard } from './replay/compare.js';
export type { CompareOptions, CompareResult, CompareRow, MetricStats, Shard } from './replay/compare.js';
export { meanCi95 } from './replay/mean-ci.js';
export { replayRecordedPower } from './replay/power-replay.js';
export type { PowerReplayOptions, PowerReplayResult } from './replay/power-replay.js';
export { thermalFromSpec, chooseThermal } from './replay/thermal-choice.js';
export type { ThermalChoice, ThermalSpec } from './replay/thermal-choice.js';
export { calibrateCoreModel } from './replay/core-model.js';
export { recordedStart, applyStart } from './replay/thermal-start.js';
export type { PackageStart } from './replay/thermal-start.js';
export { readCpuCores } from './store/cpu-cores.js';
export {
  registerHostPolicy, registerGuestPolicy, resolveHostPolicy, resolveGuestPolicy, hostPolicyNames, guestPolicyNames,
} from './policies/index.js';
export type {
  HostPolicy, GuestPolicy, HostPolicyFactory, GuestPolicyFactory, HostContext, GuestContext, HostObservation,
  GuestObservation, HostAction, GuestAction, PolicyParams, RandomStream,
} from './policies/types.js';
export { noActions } from './policies/types.js';
export { recordedPolicy } from './policies/recorded.js';
export { pinnedPolicy } from './policies/pinned.js';
export { loadBalancePolicy } from './policies/load-balance.js';
export { energyBalancePolicy, createEnergyBalancer } from './policies/energy-balance.js';
export type { EnergyBalancer } from './policies/energy-balance.js';
export { energyBalanceThrottlePolicy } from './policies/energy-balance-throttle.js';
export { budgetPolicy } from './policies/budget.js';
export { hotplugPolicy } from './policies/hotplug.js';
export { balloonPolicy } from './policies/balloon.js';
export { BudgetMeter, budgetedPolicy, readBudgetParams } from './policies/budget-meter.js';
export type { BudgetParams, BudgetController } from './policies/budget-meter.js';
export { VcpuPowerEstimate } from './policies/vcpu-power.js';
export { numberInRange } from './policies/param-range.js';
export type { ParamRange } from './policies/param-range.js';
export { defaultGuestPolicy } from './policies/default.js';
export { energyAwareGuestPolicy } from './policies/energy-aware.js';
export { budgetFollowGuestPolicy } from './policies/budget-follow.js';
export { TaskLoad } from './policies/task-load.js';
export { TaskPower } from './policies/task-power.js';

// ── replay metrics ───────────────────────────────────────────────────────────────────────────
export { thermalImbalance, powerImbalance, ImbalanceAccumulator } from './replay/metrics/imbalance.js';
export { peakTemperature } from './replay/metrics/peak-temperature.js';
export { timeAboveLimit } from './replay/metrics/time-above-limit.js';
export { energyTotals } from './replay/metrics/energy.js';
export { migrationCount, migrationTime } from './replay/metrics/migrations.js';
export { throttledCoreSeconds } from './replay/metrics/throttled.js';
export { workLost } from './replay/metrics/work-lost.js';

// ── pipeline ─────────────────────────────────────────────────────────────────────────────────
export { demo } from './demo/demo.js';
export type { DemoOptions, DemoResult } from './demo/demo.js';
export { demoReplayDefaults } from './demo/settings.js';
export type { DemoReplaySettings } from './demo/settings.js';

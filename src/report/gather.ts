import type { CalibrationFitInput } from '../charts/calibration-fit.js';
import {
  imbalanceCdfInput, loadComparison, overheadTradeoffInput, policyComparisonInput, type Comparison,
} from '../charts/comparison.js';
import type { ImbalanceCdfInput } from '../charts/imbalance-cdf.js';
import { modelFitInput, modelWeightsInput } from '../charts/model-input.js';
import type { OverheadTradeoffInput } from '../charts/overhead-tradeoff.js';
import type { PolicyComparisonInput } from '../charts/policy-comparison.js';
import { vmEnergyInput } from '../charts/store-input.js';
import type { TemperatureHeatmapInput } from '../charts/temperature-heatmap.js';
import type { VmEnergyInput } from '../charts/vm-energy.js';
import type { WeightsInput } from '../charts/weights.js';
import type { ModelFile } from '../model/model-file.js';
import { heatmapTemperatures } from '../store/chart-data.js';
import { storeInfo, type StoreInfo } from '../store/info.js';
import { attributionBooks, attributionList, replayComparisons, tracesWithTemps, type AttributionBooks } from '../store/report-data.js';
import type { Store } from '../store/store.js';

/** One energy model as the report shows it. */
export interface ReportModel {
  /** Training traces, `bundle/name` joined with commas. */
  label: string;
  model: ModelFile;
  /** Measured and predicted power per training interval (W). */
  fit: CalibrationFitInput;
  /** Term weights with their 95 % intervals (the weight itself where the model has none), J. */
  weights: WeightsInput | null;
}

/** One trace's temperatures for a heatmap. */
export interface ReportHeatmap {
  traceId: number;
  /** `bundle/name`. */
  trace: string;
  bundle: string | null;
  input: TemperatureHeatmapInput;
}

/** One stored per-VM attribution: its books and the chart's input. */
export interface ReportAttribution {
  id: string;
  /** `bundle/name` of the energy trace. */
  trace: string;
  books: AttributionBooks;
  vmEnergy: VmEnergyInput;
}

/** One set of comparable replay runs and its charts' inputs. */
export interface ReportComparison {
  comparison: Comparison;
  chart: PolicyComparisonInput;
  tradeoff: OverheadTradeoffInput;
  /** null when no run of the comparison kept per-interval series. */
  cdf: ImbalanceCdfInput | null;
}

/** Everything the report shows, gathered from the store and the given models. */
export interface ReportData {
  info: StoreInfo;
  models: ReportModel[];
  heatmaps: ReportHeatmap[];
  /** In the order they were written; empty when nothing was attributed. */
  attributions: ReportAttribution[];
  /** Oldest first; empty when no replay run is stored. */
  comparisons: ReportComparison[];
}

/** `bundle/name` of a trace, or its name alone. */
export function traceLabel(t: { bundle: string | null; name: string }): string {
  return t.bundle ? `${t.bundle}/${t.name}` : t.name;
}

/**
 * Gathers the report's content: the store summary, each model's fit over its training traces,
 * per-core temperatures of every trace that has them, every stored per-VM attribution, and every
 * set of comparable replay runs.
 */
export async function gatherReport(store: Store, models: readonly ModelFile[]): Promise<ReportData> {
  const info = await storeInfo(store);
  const reportModels: ReportModel[] = [];
  for (const model of models) {
    reportModels.push({
      label: model.training.traces.map(traceLabel).join(', '), model, fit: await modelFitInput(store, model), weights: modelWeightsInput(model),
    });
  }
  const heatmaps: ReportHeatmap[] = [];
  for (const id of await tracesWithTemps(store)) {
    const trace = info.traces.find((t) => t.id === id);
    heatmaps.push({ traceId: id, trace: trace ? traceLabel(trace) : String(id), bundle: trace?.bundle ?? null, input: await heatmapTemperatures(store, id) });
  }
  const attributions: ReportAttribution[] = [];
  for (const a of await attributionList(store)) {
    const books = await attributionBooks(store, a.id);
    attributions.push({ id: a.id, trace: a.trace, books, vmEnergy: vmEnergyInput(books.vms) });
  }
  const comparisons: ReportComparison[] = [];
  for (const runId of await replayComparisons(store)) {
    const comparison = await loadComparison(store, runId);
    comparisons.push({
      comparison, chart: policyComparisonInput(comparison), tradeoff: overheadTradeoffInput(comparison),
      cdf: comparison.seriesRuns.length ? await imbalanceCdfInput(store, comparison) : null,
    });
  }
  return { info, models: reportModels, heatmaps, attributions, comparisons };
}

import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import type { ModelFile } from '../model/model-file.js';
import { heatmapTemperatures, resolveAttribution, resolveChartTrace, resolveReplayRun, runTemperatures } from '../store/chart-data.js';
import { attributionBooks } from '../store/report-data.js';
import type { Store } from '../store/store.js';
import { imbalanceCdfInput, loadComparison, overheadTradeoffInput, policyComparisonInput, type OverheadMeasure } from './comparison.js';
import { modelFitInput, modelWeightsInput } from './model-input.js';
import type { VmEnergyInput } from './vm-energy.js';

/**
 * Where a store-backed chart's data comes from. What `run` names depends on the kind:
 * - imbalance-cdf, policy-comparison, overhead-tradeoff: a replay run id (or its start); the
 *   chart shows every run comparable with it (same traces, model, tick and span). Default: the
 *   most recently saved run.
 * - temperature-heatmap: a replay run whose per-core temperatures (`replay_series`) to show;
 *   without it, the recorded temperatures of `trace`.
 * - vm-energy: an attribution id (or its start); default: the attribution written last.
 * - calibration-fit, weights: not used; they show `model`.
 */
export interface StoreChartOptions {
  run?: string;
  /**
   * temperature-heatmap without `run`: one SEL (id, name, `bundle/name`, bundle name, glob) picking one trace
   * with per-core or per-CPU temperatures (see `resolveChartTrace`); default: the only trace with them.
   */
  trace?: string;
  /** calibration-fit and weights: the energy model (its training traces must be in the store for calibration-fit). */
  model?: ModelFile;
  /** overhead-tradeoff: what the overhead axis measures; default `work-lost`. */
  overhead?: OverheadMeasure;
}

function needModel(kind: string, model: ModelFile | undefined): ModelFile {
  if (!model) throw new UsageError('chart.needsModel', messages.chartNeedsModel(kind));
  return model;
}

/** Per-VM energy input of an attribution's books: negative parts (rounding of joules − idle − io) become 0. */
export function vmEnergyInput(rows: VmEnergyInput['rows']): VmEnergyInput {
  return { rows: rows.map((r) => ({ vm: r.vm, component: r.component, joules: Math.max(0, r.joules) })) };
}

/**
 * The input of a `kind` chart read from the store (see `StoreChartOptions` for what selects
 * it). Kinds the store cannot feed, and stores lacking what a kind needs, are UsageErrors
 * saying what to run or give first.
 */
export async function chartInputFromStore(store: Store, kind: string, options: StoreChartOptions = {}): Promise<unknown> {
  switch (kind) {
    case 'calibration-fit':
      return modelFitInput(store, needModel(kind, options.model));
    case 'weights': {
      const weights = modelWeightsInput(needModel(kind, options.model));
      if (!weights) throw new UsageError('chart.noTerms', messages.chartNoTerms(kind), { hint: messages.hintChartNoTerms() });
      return weights;
    }
    case 'vm-energy':
      return vmEnergyInput((await attributionBooks(store, await resolveAttribution(store, options.run))).vms);
    case 'temperature-heatmap':
      return options.run !== undefined
        ? runTemperatures(store, await resolveReplayRun(store, options.run))
        : heatmapTemperatures(store, await resolveChartTrace(store, options.trace));
    case 'imbalance-cdf':
      return imbalanceCdfInput(store, await loadComparison(store, options.run));
    case 'policy-comparison':
      return policyComparisonInput(await loadComparison(store, options.run));
    case 'overhead-tradeoff':
      return overheadTradeoffInput(await loadComparison(store, options.run), options.overhead);
    default:
      throw new UsageError('chart.needsData', messages.chartNeedsData(kind));
  }
}

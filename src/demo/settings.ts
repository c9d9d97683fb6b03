/** Bundles whose CPU-wide perf counters and RAPL energy the demo fits a package model to. */
export const calibratedBundles = ['demo-kvm', 'demo-xen'] as const;

/** One of `calibratedBundles`. */
export type CalibratedBundle = (typeof calibratedBundles)[number];

/** How the demo replays and compares the host policies. */
export interface DemoReplaySettings {
  /** The recording every host policy is replayed on (one of the calibrated bundles, so it has a model). */
  bundle: CalibratedBundle;
  /** Engine tick, s. */
  tickSeconds: number;
  /** Length of one `replay_series` interval, s (the imbalance CDF has one value per interval and package). */
  seriesSeconds: number;
  /** Runs per policy (seeds 1 … seeds): seed 1 in the replay stage, the rest in the compare stage. */
  seeds: number;
  /** Worker threads of the compare stage; default every core. */
  workers?: number;
  /** Host policies that need an energy budget (`budget_w`, W per VM on each pCPU it uses); the rest run with no parameters. */
  budgetPolicies: readonly string[];
  /**
   * The budget as a share of the highest power per busy vCPU of any VM in the `recorded` replay
   * (its energy per delivered CPU-second), so that it binds on the hottest guest whatever the model.
   */
  budgetShare: number;
}

/**
 * The demo's replay settings: demo-xen (a pinned hot guest beside cool and I/O guests, where
 * placement matters), the default 1 ms tick, 0.25 s series intervals, 5 seeds, and a budget
 * for the budget policies (which have no default, since a sensible one depends on the model) at
 * 60 % of the hottest guest's power per busy vCPU. Sized so that `npm start` stays well under
 * 2 minutes on 2 cores.
 */
export const demoReplayDefaults: DemoReplaySettings = {
  bundle: 'demo-xen', tickSeconds: 0.001, seriesSeconds: 0.25, seeds: 5, budgetPolicies: ['budget', 'hotplug', 'balloon'], budgetShare: 0.6,
};

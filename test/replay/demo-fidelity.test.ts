import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { calibrate } from '../../src/model/calibrate.js';
import { replay } from '../../src/replay/replay.js';
import { openStore } from '../../src/store/store.js';
import { fixturePath } from '../helpers/fixtures.js';

/**
 * The fidelity check as a user runs it on the generated demos, with nothing taken from the
 * generator's truth:
 *   vheat ingest traces/<demo>
 *   vheat calibrate --train <demo>/perf-stat-cpu.csv --out model.json
 *   vheat replay --trace <demo> --model model.json --validate
 * The replay fits the thermal parameters to the recording (the CPU→core map from turbostat),
 * starts where the fit starts, and heats the cores by a core-domain model calibrated like the
 * package model, so its temperatures stay within the fit's own error.
 */
for (const demo of ['demo-xen', 'demo-kvm']) {
  const bundle = fixturePath('..', '..', 'traces', demo);
  describe.skipIf(!existsSync(bundle))(`replay --validate of ${demo} with a calibrated model`, () => {
    it('reproduces recorded energy per interval and stays within the thermal fit error', async () => {
      const store = await openStore(':memory:');
      try {
        await ingest(store, [bundle]);
        const { model } = await calibrate(store, { train: [`${demo}/perf-stat-cpu.csv`], bootstrap: false });
        const r = await replay(store, { trace: demo, model, validate: true, save: false });
        const { energy, temps } = r.summary.fidelity!;
        expect(Math.abs(energy!.totalErrorPercent)).toBeLessThan(2);
        expect(energy!.mapePercent).toBeLessThan(5);
        // scored on the intervals the model was fitted on, the replay is as good as the model itself
        expect(energy!.withinFitError).toBe(true);
        expect(temps!.readings).toBeGreaterThan(450);
        // A fit that explains the readings (far below their 2.5 °C spread) …
        expect(temps!.fitRmseCelsius!).toBeLessThan(0.7);
        // … and a replay within it: 8.8 °C before the replay started where the fit starts.
        expect(temps!.withinFitError).toBe(true);
        expect(temps!.rmseCelsius).toBeLessThanOrEqual(1.25 * temps!.fitRmseCelsius!);
        console.info(`${demo}: energy ${energy!.intervals} intervals, total ${energy!.totalErrorPercent.toFixed(3)} %, ` +
          `RMSE ${energy!.rmseWatts.toFixed(3)} W (model ${energy!.modelRmseWatts?.toFixed(3)} W); temps ${temps!.readings} readings, ` +
          `RMSE ${temps!.rmseCelsius.toFixed(3)} °C (fit ${temps!.fitRmseCelsius!.toFixed(3)} °C)`);
      } finally {
        store.close();
      }
    }, 120_000);
  });
}

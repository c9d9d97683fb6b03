import { describe, expect, it } from 'vitest';
import { defaultThermalParams } from '../../src/thermal/defaults.js';

describe('defaultThermalParams', () => {
  it('lumps HotSpot 6.0 defaults onto a 16 mm² core', () => {
    const d = defaultThermalParams;
    // 1.75e6 J/(m³K) · 150 µm · 16 mm² = 4.2 mJ/K.
    expect(d.coreCapacitance).toBeCloseTo(4.2e-3, 15);
    // Silicon 150e-6/(100 · 16e-6) = 0.09375 K/W plus interface 20e-6/(4 · 16e-6) = 0.3125 K/W.
    expect(d.coreToHeatsink).toBeCloseTo(1 / 0.40625, 12);
    // k·t = 100 · 150e-6 = 0.015 W/K.
    expect(d.coreToCore).toBeCloseTo(0.015, 15);
    // Heatsink time constant C·R = 140.4 · 0.1 = 14.04 s, ambient 318.15 K = 45 °C.
    expect(d.heatsinkCapacitance / d.heatsinkToAmbient).toBeCloseTo(14.04, 12);
    expect(d.ambientCelsius).toBe(45);
  });
});

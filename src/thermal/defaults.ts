import type { ThermalParams } from './rc-network.js';

/**
 * The HotSpot 6.0 default configuration (`hotspot.config`, block model) that vheat's default
 * thermal parameters derive from. SI units as HotSpot gives them; the ambient is 318.15 K.
 */
export const hotspotConfig = {
  /** Die thickness, m (`-t_chip`). */
  chipThickness: 0.00015,
  /** Silicon conductivity, W/(m·K) (`-k_chip`). */
  chipConductivity: 100,
  /** Silicon volumetric heat capacity, J/(m³·K) (`-p_chip`). */
  chipHeatCapacity: 1.75e6,
  /** Interface material thickness, m (`-t_interface`). */
  interfaceThickness: 2e-5,
  /** Interface material conductivity, W/(m·K) (`-k_interface`). */
  interfaceConductivity: 4,
  /** Heatsink plus convection capacitance, J/K (`-c_convec`). */
  convectionCapacitance: 140.4,
  /** Heatsink-to-air resistance, K/W (`-r_convec`). */
  convectionResistance: 0.1,
  /** Ambient, °C (`-ambient 318.15` K). */
  ambientCelsius: 45,
} as const;

/** Footprint assumed for one core (with its private caches), m²: 4 mm × 4 mm. */
export const defaultCoreArea = 16e-6;

/**
 * Thermal parameters used when a recording has no temperatures to fit them to: HotSpot's
 * defaults lumped onto one node per 16 mm² core. A replay takes, in order, the `--thermal` file
 * (`vheat fit-thermal --out`), else a fit to the recording's core temperatures next to its RAPL
 * energy, else these, and prints which. They are a plausible desktop/server package, not any
 * measured host: ambient 45 °C is HotSpot's air temperature inside a case, not a room's, so
 * absolute temperatures from them are indicative only (relative ones — imbalance between
 * cores, response to a policy — depend mostly on the conductances). The fit also starts from them,
 * and stays near them where a recording cannot tell (a millisecond core time constant, at second intervals).
 * - core capacitance = p_chip · t_chip · area = 4.2 mJ/K (core time constant ≈ 1.7 ms);
 * - core → heatsink = 1 / (t_chip/(k_chip·area) + t_interface/(k_interface·area)) ≈ 2.46 W/K
 *   (silicon 0.094 K/W plus interface material 0.31 K/W);
 * - core ↔ core = k_chip · t_chip = 0.015 W/K (two half-cores of silicon side by side: the
 *   centre-to-centre length equals the shared edge, so the area drops out);
 * - heatsink 140.4 J/K and 10 W/K to ambient: time constant 14.04 s;
 * - ambient 45 °C.
 */
export const defaultThermalParams: ThermalParams = (() => {
  const h = hotspotConfig;
  const a = defaultCoreArea;
  return {
    coreCapacitance: h.chipHeatCapacity * h.chipThickness * a,
    coreToHeatsink: 1 / (h.chipThickness / (h.chipConductivity * a) + h.interfaceThickness / (h.interfaceConductivity * a)),
    coreToCore: h.chipConductivity * h.chipThickness,
    heatsinkCapacitance: h.convectionCapacitance,
    heatsinkToAmbient: 1 / h.convectionResistance,
    ambientCelsius: h.ambientCelsius,
  };
})();

import type { HostAction, HostContext, HostObservation, HostPolicy } from '../src/index.js';

/**
 * `coolest-core`: an example host policy to copy from. Every `every_ms` (default 10) it finds the
 * hottest and the coolest thermal core; when they differ by more than `margin_c` (default 0.5 °C)
 * it migrates the vCPU that ran longest in the last tick on the hottest core to a pCPU of the
 * coolest core. Run it with `vheat replay --host-policy ./examples/coolest-core-policy.ts`.
 */
export default function coolestCorePolicy(): HostPolicy {
  // One array reused every tick: the engine applies the actions before the next decide.
  const actions: HostAction[] = [];
  let everyTicks = 1;
  let marginC = 0;
  let pcpuCore = new Int32Array(0);

  return {
    init(ctx: HostContext) {
      // Read parameters here: every key read is known, so a misspelt --param is an error.
      everyTicks = Math.max(1, Math.round(ctx.params.number('every_ms', 10) / 1000 / ctx.tickSeconds));
      marginC = ctx.params.number('margin_c', 0.5);
      // Copy what decide needs: the context is not kept by the engine for us.
      pcpuCore = Int32Array.from(ctx.pcpuCore);
    },
    decide(obs: HostObservation) {
      actions.length = 0;
      if (obs.tick % everyTicks !== 0) return actions;
      let hot = 0;
      let cool = 0;
      for (let c = 1; c < obs.coreCelsius.length; c++) {
        if (obs.coreCelsius[c]! > obs.coreCelsius[hot]!) hot = c;
        if (obs.coreCelsius[c]! < obs.coreCelsius[cool]!) cool = c;
      }
      if (obs.coreCelsius[hot]! - obs.coreCelsius[cool]! <= marginC) return actions;
      let vcpu = -1;
      for (let v = 0; v < obs.vcpuPcpu.length; v++) {
        if (pcpuCore[obs.vcpuPcpu[v]!] !== hot || obs.vcpuRunSeconds[v]! <= 0) continue;
        if (vcpu < 0 || obs.vcpuRunSeconds[v]! > obs.vcpuRunSeconds[vcpu]!) vcpu = v;
      }
      const pcpu = pcpuCore.indexOf(cool);
      if (vcpu >= 0 && pcpu >= 0) actions.push({ type: 'migrate', vcpu, pcpu });
      return actions;
    },
  };
}

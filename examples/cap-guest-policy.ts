import type { GuestAction, GuestContext, GuestObservation, GuestPolicy } from '../src/index.js';

/**
 * `cap`: an example guest policy to copy from. It keeps every task of the VM (except the balloon
 * the host may inflate) from running more than `cap_pct` % of each tick (default 50), as a guest
 * that caps its own power would. Throttles hold until set again, so it acts once, on the first
 * tick. Run it with `vheat replay --guest-policy ./examples/cap-guest-policy.ts`.
 */
export default function capGuestPolicy(): GuestPolicy {
  const throttles: GuestAction[] = [];
  const nothing: readonly GuestAction[] = [];
  return {
    init(ctx: GuestContext) {
      const fraction = 1 - ctx.params.number('cap_pct', 50) / 100;
      for (let task = 0; task < ctx.tasks; task++) {
        if (task !== ctx.balloonTask) throttles.push({ type: 'throttle-task', task, fraction });
      }
    },
    decide(obs: GuestObservation) {
      return obs.tick === 0 ? throttles : nothing;
    },
  };
}

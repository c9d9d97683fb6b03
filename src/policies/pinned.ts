import { noActions, type HostAction, type HostContext, type HostPolicy } from './types.js';

/**
 * `pinned`: every vCPU fixed to one pCPU, dealt round-robin over all VMs in order (VM 0's
 * vCPU 0 on pCPU `first`, the next vCPU on the next pCPU, wrapping). Never migrates.
 * Parameter: `first` (pCPU of the first vCPU, default 0).
 */
export function pinnedPolicy(): HostPolicy {
  return {
    init(ctx: HostContext) {
      const first = ctx.params.number('first', 0);
      const actions: HostAction[] = [];
      for (let v = 0; v < ctx.vcpus; v++) actions.push({ type: 'migrate', vcpu: v, pcpu: (first + v) % ctx.pcpus });
      return actions;
    },
    decide() {
      return noActions;
    },
  };
}

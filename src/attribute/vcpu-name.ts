/** The VM of a vCPU series, from its entity name `<vm>/vcpu<n>` (`hot/vcpu1` → `hot`). */
export const vmOf = (vcpu: string): string => vcpu.replace(/\/vcpu\d+$/, '');

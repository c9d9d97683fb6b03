/**
 * Empties an action list a policy reuses from tick to tick. Assigning `length` is a runtime
 * call even on an empty array, which is what the list is on most ticks, and guest policies run
 * once per VM per tick: measured at 6 % of a 24-VM replay before this check.
 */
export function clearActions<T>(actions: T[]): void {
  if (actions.length !== 0) actions.length = 0;
}

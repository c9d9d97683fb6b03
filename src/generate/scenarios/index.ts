import type { ScenarioInput } from '../scenario.js';
import { demoKvm } from './demo-kvm.js';
import { demoXen } from './demo-xen.js';
import { large } from './large.js';
import { testKvm } from './test-kvm.js';
import { testXen } from './test-xen.js';

/** The scenarios shipped with vheat, by name (`vheat generate --scenario NAME`). */
export const shippedScenarios: Readonly<Record<string, ScenarioInput>> = {
  'demo-kvm': demoKvm,
  'demo-xen': demoXen,
  large,
  'test-kvm': testKvm,
  'test-xen': testXen,
};

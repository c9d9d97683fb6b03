#!/usr/bin/env node
// Launcher: registers the TypeScript loader relative to this file, so `vheat` runs from any folder.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
await main();

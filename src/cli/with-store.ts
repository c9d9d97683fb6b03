import { openStore, type Store } from '../store/store.js';
import type { GlobalOptions } from './io.js';

/** Opens the store named by `--db` (with `--memory-limit`), runs `fn`, and closes it whatever happens. */
export async function withStore<T>(globals: Pick<GlobalOptions, 'db' | 'memoryLimit'>, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(globals.db, globals.memoryLimit ? { memoryLimit: globals.memoryLimit } : {});
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

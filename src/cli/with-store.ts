import { openStore, type Store } from '../store/store.js';

/** Opens the store named by `--db`, runs `fn`, and closes it whatever happens. */
export async function withStore<T>(path: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(path);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/**
 * Test helpers for our messages' writes: hold IndexedDB's message stores from another
 * connection (our write then waits behind it), and ask the page whether it would stay.
 */

/**
 * Holds the message stores of `dbName` with a transaction of our own until `release()`: a
 * write made meanwhile waits behind it (IndexedDB runs overlapping transactions in order).
 */
export async function holdStores(dbName: string): Promise<{ release: () => Promise<void> }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(dbName);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction(['messages', 'outbox'], 'readwrite');
  const store = tx.objectStore('messages');
  let held = true;
  const spin = () => {
    if (held) store.get(['', '']).onsuccess = spin;
  };
  spin();
  const done = new Promise<void>((resolve) => (tx.oncomplete = () => resolve()));
  return {
    release: async () => {
      held = false;
      await done;
      db.close();
    },
  };
}

/** Dispatches a `beforeunload` as the browser would; returns whether the page asked to stay. */
export function pageAsksToStay(): boolean {
  const e = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(e);
  return e.defaultPrevented;
}

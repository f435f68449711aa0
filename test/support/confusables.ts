/**
 * Unicode's confusables for browser tests: Web Test Runner serves the `unhomoglyph` package's
 * JSON file but does not bundle it as a module (Vite does, for the app), so tests load the
 * same file with `fetch`. Importing this module is enough.
 */
import { useConfusables } from '../../src/store/confusables.js';

useConfusables(async () => {
  const res = await fetch('/node_modules/unhomoglyph/data.json');
  if (!res.ok) throw new Error(`confusables: ${res.status}`);
  return (await res.json()) as Record<string, string>;
});

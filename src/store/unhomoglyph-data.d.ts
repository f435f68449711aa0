/** The data file of the `unhomoglyph` package: Unicode's confusables, character → prototype. */
declare module 'unhomoglyph/data.json' {
  const table: Readonly<Record<string, string>>;
  export default table;
}

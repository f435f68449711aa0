/**
 * When two names look alike, judged by Unicode's own data (UTS #39, "Unicode Security
 * Mechanisms"): the confusables skeleton of a name, and whether it mixes scripts. The table of
 * confusables is passed in (see confusables.ts, which loads it in a chunk of its own); this
 * module holds no data but the list of script codes.
 *
 * The key goes past the bare skeleton where the data stops short of what people see:
 * - invisible characters (Default_Ignorable_Code_Point: the Hangul fillers, joiners, variation
 *   selectors…) are dropped first — "Alice" and "Alice" + U+3164 render the same;
 * - case is folded, as names always were here ("ALICE" and "alice" are namesakes);
 * - "w" is read as "vv" ("VVendy"): confusables.txt maps m to "rn" but has no w → vv;
 * - i and l are one letter: the data sends capital I, 1, | and Ӏ to l but the lower-case
 *   palochka (ӏ, U+04CF) and dotless ı to i, so "Aӏice" would otherwise not meet "Alice";
 * - Latin small capitals read as their letters ("Aʟice"): the data has only some of them;
 * - modifier letters (U+02B0–U+02FF: ʹ ˊ ˋ…) and punctuation are left out ("Aliceʹ", "Alice.",
 *   "Alice_"), unless nothing else is left.
 */

/** Unicode's confusables: one character → the prototype it passes for (confusables.txt). */
export type ConfusableTable = Readonly<Record<string, string>>;

const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
/** Marks beside a name's letters that change little of how it looks: modifiers, punctuation. */
const MARKS = /[\u02B0-\u02FF\p{P}]/gu;
/** Latin small capitals, as the letters they are drawn as (some are missing from the data). */
const SMALL_CAPITALS: Readonly<Record<string, string>> = Object.fromEntries(
  [...'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ'].map((c, i) => [c, 'abcdefghijklmnopqrstuvwyz'[i]!]),
);
const SMALL_CAPITAL = new RegExp(`[${Object.keys(SMALL_CAPITALS).join('')}]`, 'gu');
const SPACES = /\p{White_Space}+/gu;

/** `name` as it is seen: NFKC, without invisible characters, runs of space as one, trimmed. */
export function visibleName(name: string): string {
  return name.normalize('NFKC').replace(INVISIBLE, '').replace(SPACES, ' ').trim();
}

/** The UTS #39 skeleton of `s`: NFD, each character to its prototype, NFD again. */
export function skeleton(s: string, table: ConfusableTable): string {
  let out = '';
  for (const c of s.normalize('NFD')) out += table[c] ?? c;
  return out.normalize('NFD');
}

/**
 * The key two names share when they look alike (see the module comment): equal keys, look-alike
 * names. Not meant to be read.
 */
export function lookalikeKey(name: string, table: ConfusableTable): string {
  const visible = visibleName(name).replace(SMALL_CAPITAL, (c) => SMALL_CAPITALS[c]!);
  const seen = skeleton(visible, table);
  // Lower case, then the skeleton again: the lower-case forms have prototypes of their own.
  const key = skeleton(seen.toLowerCase(), table).replace(/w/g, 'vv').replace(/i/g, 'l');
  return key.replace(MARKS, '') || key;
}

/**
 * ISO 15924 codes of the scripts JavaScript's `\p{Script_Extensions=…}` knows (listed by
 * trying every four-letter code in Node 20; a code this browser does not know is skipped).
 * Zyyy (Common) and Zinh (Inherited) go with any script.
 */
const SCRIPTS =
  'Adlm Aghb Ahom Arab Armi Armn Avst Bali Bamu Bass Batk Beng Berf Bhks Bopo Brah Brai Bugi Buhd Cakm Cans Cari Cham Cher Chrs Copt Cpmn Cprt Cyrl Deva Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara Geor Glag Gong Gonm Goth Gran Grek Gujr Gukh Guru Hang Hani Hano Hatr Hebr Hira Hluw Hmng Hmnp Hung Ital Java Kali Kana Kawi Khar Khmr Khoj Kits Knda Krai Kthi Lana Laoo Latn Lepc Limb Lina Linb Lisu Lyci Lydi Mahj Maka Mand Mani Marc Medf Mend Merc Mero Miao Mlym Modi Mong Mroo Mtei Mult Mymr Nagm Nand Narb Nbat Newa Nkoo Nshu Ogam Olck Onao Orkh Orya Osge Osma Ougr Palm Pauc Perm Phag Phli Phlp Phnx Plrd Prti Rjng Rohg Runr Samr Sarb Saur Sgnw Shaw Shrd Sidd Sidt Sind Sinh Sogd Sogo Sora Soyo Sund Sunu Sylo Syrc Tagb Takr Tale Talu Taml Tang Tavt Tayo Telu Tfng Tglg Thaa Thai Tibt Tirh Tnsa Todr Tols Toto Tutg Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb';

/** UTS #39's augmented sets: Han with kana is Japanese, with Hangul Korean, with Bopomofo Hanb. */
const AUGMENT: Record<string, readonly string[]> = {
  Hani: ['Hanb', 'Jpan', 'Kore'],
  Hira: ['Jpan'],
  Kana: ['Jpan'],
  Hang: ['Kore'],
  Bopo: ['Hanb'],
};

let tests: Array<[string, RegExp]> | undefined;
let anyScript: RegExp | undefined;

/** One test per script this engine knows, made at first need. */
function scriptTests(): Array<[string, RegExp]> {
  if (tests) return tests;
  tests = [];
  for (const code of SCRIPTS.split(' ')) {
    try {
      tests.push([code, new RegExp(`^\\p{scx=${code}}$`, 'u')]);
    } catch {
      // A script newer than this browser's Unicode: none of its letters are told apart here.
    }
  }
  anyScript = /^[\p{scx=Zyyy}\p{scx=Zinh}]$/u;
  return tests;
}

/**
 * The scripts `name` mixes, when no one script covers all its letters (UTS #39's resolved
 * script set is empty: "Aӏice" is Latin and Cyrillic); undefined for a single-script name.
 * Characters common to every script (digits, punctuation, marks) count for none.
 */
export function mixedScripts(name: string): string[] | undefined {
  const all = scriptTests();
  let common: Set<string> | undefined;
  const seen = new Set<string>();
  for (const c of visibleName(name)) {
    if (anyScript!.test(c)) continue;
    const own = all.filter(([, re]) => re.test(c)).map(([code]) => code);
    if (own.length === 0) continue;
    seen.add(own[0]!);
    const set = new Set(own.flatMap((s) => [s, ...(AUGMENT[s] ?? [])]));
    common = common ? new Set([...common].filter((s) => set.has(s))) : set;
  }
  return common && common.size === 0 ? [...seen] : undefined;
}

/** The English name of script `code` ("Cyrl" → "Cyrillic"), or the code itself. */
export function scriptName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'script' }).of(code) ?? code;
  } catch {
    return code;
  }
}

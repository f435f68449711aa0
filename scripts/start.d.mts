/** Types of scripts/start.mjs (for its test). */
/** What the build makes; the oldest of them is the build's age. */
export declare const OUTPUTS: readonly string[];
/** What the build reads: folders (walked) and files. */
export declare const INPUTS: readonly string[];
/** Why `root` needs a build ('missing <file>' or 'sources changed'), or undefined. */
export declare function buildReason(root: string): string | undefined;

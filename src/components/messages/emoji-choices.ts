/**
 * The reactions the picker offers, each with the name a screen reader says for its button
 * (an emoji alone reads differently, or not at all, from one reader to the next).
 */
export const EMOJI_CHOICES: ReadonlyArray<readonly [emoji: string, name: string]> = [
  ['👍', 'thumbs up'],
  ['❤️', 'red heart'],
  ['😂', 'face with tears of joy'],
  ['🎉', 'party popper'],
  ['😮', 'face with open mouth'],
  ['😢', 'crying face'],
  ['🙏', 'folded hands'],
  ['👀', 'eyes'],
];

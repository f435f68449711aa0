/**
 * The parts `<parley-roster>` exposes, for `<parley-chat>`'s `exportparts`. Kept apart from the
 * element so the chat can name them without loading it: the member list comes in its own chunk
 * (see roster-define.ts).
 */
export const ROSTER_PARTS =
  'heading, members, member, self, avatar, name, badge, alone, fingerprint, unproven, verified, warning, safety, code, verify';

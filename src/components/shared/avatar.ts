/**
 * Who is who at a glance: every identity gets one of {@link AVATAR_COLOURS} colours and an
 * initial, used by the message list (group headers) and the member list. The colour comes from
 * the identity id (the hash of its key), never from the name: two people who both call
 * themselves "alice" still look different (unless their ids fall on one colour, 1 in 12; the
 * fingerprint beside the name tells them apart then).
 */
import { css, html } from 'lit';

/** How many author colours there are (classes `c0`…`c11`). */
export const AVATAR_COLOURS = 12;

/**
 * The colour of an identity: FNV-1a over its id, modulo {@link AVATAR_COLOURS}. Stable across
 * sessions and browsers, since it depends on the id alone.
 */
export function colourOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % AVATAR_COLOURS;
}

/**
 * The initial shown in an avatar: the name's first letter or digit, in capitals ("?" when
 * there is none), so a name starting with spaces, marks or invisible characters still gets one.
 */
export function initialOf(name: string): string {
  return /[\p{L}\p{N}]/u.exec(name)?.[0]?.toLocaleUpperCase() ?? '?';
}

/** The decorative avatar of an identity (hidden from screen readers: the name is read). */
export const avatar = (id: string, name: string) =>
  html`<span
    class="avatar c${colourOf(id)}"
    part="avatar"
    aria-hidden="true"
    .textContent=${initialOf(name)}
  ></span>`;

/**
 * The palette: light-theme colours reach 4.5:1 on white, the surface and our own messages'
 * background; dark-theme ones on the dark backgrounds (computed in OKLCH, 12 hues 30° apart).
 * `--_who` colours an author's name; an avatar is that colour with the background's on it.
 */
export const avatarStyles = css`
  .c0 {
    --_who: light-dark(#b54152, #e37a84);
  }
  .c1 {
    --_who: light-dark(#b04907, #de8155);
  }
  .c2 {
    --_who: light-dark(#9b5900, #ca8e2c);
  }
  .c3 {
    --_who: light-dark(#766a00, #a59c2a);
  }
  .c4 {
    --_who: light-dark(#3a7600, #73a853);
  }
  .c5 {
    --_who: light-dark(#00794a, #29ae81);
  }
  .c6 {
    --_who: light-dark(#007578, #00abac);
  }
  .c7 {
    --_who: light-dark(#0070a1, #00a6d3);
  }
  .c8 {
    --_who: light-dark(#1f68bc, #609ce8);
  }
  .c9 {
    --_who: light-dark(#655bbe, #9590ea);
  }
  .c10 {
    --_who: light-dark(#8d4da8, #bd84d6);
  }
  .c11 {
    --_who: light-dark(#a84482, #d77cb1);
  }
  .avatar {
    flex: none;
    display: inline-grid;
    place-items: center;
    width: 1.6rem;
    height: 1.6rem;
    border-radius: 50%;
    background: var(--_who);
    color: light-dark(#fff, #14161d);
    font-size: 0.8rem;
    font-weight: 700;
    line-height: 1;
    user-select: none;
  }
`;

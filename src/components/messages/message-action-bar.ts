/**
 * What a message's toolbar draws and does (see message-actions.ts, which keeps where it shows
 * and the keys): the buttons Reply, React and, on our own messages, Edit and Delete; the emoji
 * picker; the question before deleting. A chunk of its own, loaded once the room is settled: the
 * toolbar shows only on a row hovered or focused, never in the room's first view.
 */
import { html, nothing, svg } from 'lit';
import { REPLY_EXCERPT, type ChatMessage } from '../../controllers/room/message-list.js';
import { EMOJI_CHOICES } from './emoji-choices.js';
import { emit, excerptOf } from './row-events.js';
import { canAct, type Action, type ActionsState } from './message-actions.js';

/** Where each icon's path goes (24×24, stroked). */
const ICONS: Record<Action, string> = {
  Reply: 'M9 14L4 9l5-5M4 9h10a6 6 0 016 6v5',
  React: 'M12 21a9 9 0 100-18 9 9 0 000 18zM8 14s1.5 2 4 2 4-2 4-2M9 9h.01M15 9h.01',
  Edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  Delete: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
};

function act(s: ActionsState, row: ChatMessage, self: string, action: Action, from: HTMLElement) {
  if (action === 'React' || action === 'Delete') {
    if (s.open?.what === action.toLowerCase()) return s.close(action);
    s.openFor({ id: row.id, what: action === 'React' ? 'react' : 'delete' });
    void s.host.updateComplete.then(() => {
      const first = action === 'React' ? '.picker button' : '.confirm button.cancel';
      const el = s.host.renderRoot.querySelector<HTMLElement>(first);
      el?.focus({ preventScroll: true });
      el?.parentElement?.scrollIntoView({ block: 'nearest' });
    });
    return;
  }
  const own = row.from.id === self;
  emit(from, 'parley-compose', {
    mode: action === 'Edit' ? 'edit' : 'reply',
    id: row.id,
    text: row.text,
    name: own ? 'You' : row.from.name,
    // A file sent without a caption is named by its file.
    excerpt: excerptOf(row.text || (row.file ? `File: ${row.file.name}` : ''), REPLY_EXCERPT),
  });
}

function react(s: ActionsState, row: ChatMessage, emoji: string, from: HTMLElement): void {
  const mine = row.reactions?.some((r) => r.emoji === emoji && r.mine) ?? false;
  emit(from, 'parley-react', { id: row.id, emoji, on: !mine });
  s.close('React');
}

function remove(s: ActionsState, row: ChatMessage, from: HTMLElement): void {
  emit(from, 'parley-delete', { id: row.id });
  s.openFor(undefined);
  void s.host.updateComplete.then(() => from.isConnected || rowFocus(s, row.id));
}

/** Focuses the row of message `id` (after its toolbar's button went away). */
function rowFocus(s: ActionsState, id: string): void {
  s.host.renderRoot.querySelector<HTMLElement>(`li.msg[data-id="${CSS.escape(id)}"]`)?.focus();
}

/** The toolbar of `row` (our account: `self`), with its picker or question when open. */
export function actionBar(s: ActionsState, row: ChatMessage, self: string) {
  if (!canAct(row)) return nothing;
  const names: Action[] = [
    'Reply',
    'React',
    ...(row.from.id === self ? (['Edit', 'Delete'] as const) : []),
  ];
  const open = s.open?.id === row.id ? s.open.what : undefined;
  const click = (a: Action) => (e: Event) => act(s, row, self, a, e.currentTarget as HTMLElement);
  // prettier-ignore
  const bar = html`<div class="bar" part="actions" role="toolbar" aria-label="Message actions">${names.map((a) => html`<button type="button" part="button action" aria-label=${a} title=${a} aria-expanded=${a === 'React' || a === 'Delete' ? String(open === a.toLowerCase()) : nothing} @click=${click(a)}><svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${svg`<path d=${ICONS[a]}/>`}</svg></button>`)}</div>`;
  // prettier-ignore
  const extra = open === 'react'
    ? html`<div class="picker" part="picker" role="group" aria-label="Choose a reaction">${EMOJI_CHOICES.map(([emoji, name]) => html`<button type="button" part="button" aria-label=${name} title=${name} @click=${(e: Event) => react(s, row, emoji, e.currentTarget as HTMLElement)} .textContent=${emoji}></button>`)}</div>`
    : open === 'delete'
      ? html`<div class="confirm" part="confirm" role="group" aria-labelledby="ask"><span id="ask">Delete this message? Others will see “message deleted”.</span><button type="button" class="danger" part="button" @click=${(e: Event) => remove(s, row, e.currentTarget as HTMLElement)}>Delete</button><button type="button" class="cancel" part="button" @click=${() => s.close('Delete')}>Cancel</button></div>`
      : nothing;
  return html`<div class="acts">${bar}</div>
    ${extra}`;
}

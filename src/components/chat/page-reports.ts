/**
 * What `<parley-chat>` tells the embedding page: logins and logouts, the connection, problems —
 * each change once, as the element's own `parley-*` events (the views' events stay inside).
 */
import type { Problem } from '../../controllers/shared/problem.js';
import { announce, type ParleyStatusDetail } from '../shared/events.js';

/** The last reports, so only changes are announced. */
export interface Reported {
  user: string;
  status: string;
  error: string;
}

/** Nothing reported yet. */
export const unreported = (): Reported => ({ user: '', status: '', error: '' });

/** The state to report now. */
export interface PageState {
  /** Who is logged in, if anyone. */
  user: { userId: string; name: string } | undefined;
  /** The link's state; undefined while the chat has none yet (nothing is said then). */
  status: ParleyStatusDetail | undefined;
  /** The problem shown to the visitor now, if any. */
  error: Problem | undefined;
}

/** Announces on `el` whatever changed since `last` (and records it there). */
export function reportToPage(el: HTMLElement, last: Reported, now: PageState): void {
  const user = now.user?.userId ?? '';
  if (user !== last.user) {
    if (now.user) announce(el, 'parley-login', { ...now.user });
    else if (last.user) announce(el, 'parley-logout', {});
    last.user = user;
  }
  const status = now.status ? JSON.stringify(now.status) : last.status;
  if (now.status && status !== last.status) {
    last.status = status;
    announce(el, 'parley-status', now.status);
  }
  // A problem is reported once per change of its words (the code travels along).
  const error = now.error?.message ?? '';
  if (error !== last.error) {
    last.error = error;
    if (now.error) announce(el, 'parley-error', { message: error, code: now.error.code });
  }
}

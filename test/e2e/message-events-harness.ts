/**
 * What the end-to-end tests of edits, deletions, replies and reactions (issue 24) do to and read
 * from a page: a message's id by its text, its row and toolbar, the actions a person takes
 * through the UI (Reply, React, Edit, Delete, a reaction chip), and one comparable line per
 * message of the list's model (text, "edited", "message deleted", reactions with counts and
 * names, a reply's excerpt), so members can be compared message by message.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** Waits until `check` holds (polled every 100 ms), else fails after `ms` naming `what`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  what: () => string | Promise<string>,
  ms = 20_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${await what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One message of the list's model, as these tests compare it. */
interface Modelled {
  id: string;
  text: string;
  from: { id: string; name: string };
  edited?: number;
  deleted?: true;
  event?: unknown;
  reactions?: ReadonlyArray<{ emoji: string; by: ReadonlyArray<{ name: string }> }>;
  replyTo?: { id: string; name?: string; excerpt?: string; deleted?: true };
}

/** The rows of the message list's model, oldest first (the list is virtualized: not the DOM). */
function model(page: Page): Promise<Modelled[]> {
  return page.evaluate(() => {
    const list = document
      .querySelector('parley-chat')
      ?.shadowRoot?.querySelector('parley-messages') as
      (Element & { messages: readonly unknown[] }) | null;
    // Structured clone: only the fields these tests read travel back.
    return JSON.parse(JSON.stringify(list?.messages ?? [])) as never;
  });
}

/**
 * One line per message: "Alice: text (edited) ↩ Bob: excerpt [👍 2: Bob, Carol]". What differs
 * between members only because of who looks (our own reaction's `mine`) is left out.
 */
export async function summary(page: Page): Promise<string[]> {
  return (await model(page)).map((m) => {
    const said = m.deleted ? '[message deleted]' : m.text;
    const edited = m.edited !== undefined ? ' (edited)' : '';
    const to = m.replyTo;
    const quote = to
      ? ` ↩ ${to.name ?? '?'}: ${to.deleted ? '[message deleted]' : (to.excerpt ?? '?')}`
      : '';
    const reactions = (m.reactions ?? [])
      .filter((r) => r.by.length > 0)
      .map((r) => ` [${r.emoji} ${r.by.length}: ${r.by.map((b) => b.name).join(', ')}]`)
      .join('');
    const event = m.event ? ' {an event as a row}' : '';
    return `${m.from.name}: ${said}${edited}${quote}${reactions}${event}`;
  });
}

/** Waits until every page's summary is `want` (each page's own summary in the error). */
export async function allShow(pages: Page[], want: string[], ms = 30_000): Promise<void> {
  let last: string[][] = [];
  await until(
    async () => {
      last = await Promise.all(pages.map((p) => summary(p)));
      return last.every((s) => JSON.stringify(s) === JSON.stringify(want));
    },
    () => `want ${JSON.stringify(want, null, 1)}\nhave ${JSON.stringify(last, null, 1)}`,
    ms,
  );
}

/** The id of the message whose text (as sent, or as edited) is `text`, once it shows. */
export async function idOf(page: Page, text: string, ms = 20_000): Promise<string> {
  let id: string | undefined;
  await until(
    async () => (id = (await model(page)).find((m) => m.text === text)?.id) !== undefined,
    () => `"${text}" shown`,
    ms,
  );
  return id!;
}

/** The row of message `id` on `page`. */
export function rowOf(page: Page, id: string): Locator {
  return page.locator(`parley-messages li.msg[data-id=${JSON.stringify(id)}]`);
}

/** The one "Message actions" toolbar of the list, in the row of message `id`. */
async function toolbarOf(page: Page, id: string): Promise<Locator> {
  const row = rowOf(page, id);
  await row.waitFor();
  // Focused and hovered both: the toolbar shows in this row whatever happened before.
  await row.focus();
  await row.hover();
  const bar = row.getByRole('toolbar', { name: 'Message actions' });
  await bar.waitFor();
  return bar;
}

/** The names of the buttons in message `id`'s toolbar, as `page` offers them. */
export async function actionsOf(page: Page, id: string): Promise<string[]> {
  const bar = await toolbarOf(page, id);
  return bar.getByRole('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label')!));
}

/** Presses `action` in message `id`'s toolbar. */
export async function act(page: Page, id: string, action: 'Reply' | 'React' | 'Edit' | 'Delete') {
  const bar = await toolbarOf(page, id);
  await bar.getByRole('button', { name: action, exact: true }).click();
}

/** Replies `text` to message `id` (its author shown as `author` in the composer's bar). */
export async function replyTo(page: Page, id: string, author: string, text: string) {
  await act(page, id, 'Reply');
  await page.locator('parley-composer .mode', { hasText: `Replying to ${author}:` }).waitFor();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await page.locator('parley-composer .mode').waitFor({ state: 'hidden' });
}

/** Edits our message `id` to say `text`. */
export async function editTo(page: Page, id: string, text: string) {
  await act(page, id, 'Edit');
  await page.locator('parley-composer .mode', { hasText: 'Editing your message' }).waitFor();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await page.locator('parley-composer .mode').waitFor({ state: 'hidden' });
}

/** Deletes our message `id`, answering the row's question. */
export async function deleteIt(page: Page, id: string) {
  await act(page, id, 'Delete');
  const ask = rowOf(page, id).getByRole('group', {
    name: 'Delete this message? Others will see “message deleted”.',
  });
  await ask.getByRole('button', { name: 'Delete', exact: true }).click();
}

/** Reacts to message `id` with the picker's choice named `choice` ("thumbs up"). */
export async function reactWith(page: Page, id: string, choice: string) {
  await act(page, id, 'React');
  const picker = rowOf(page, id).getByRole('group', { name: 'Choose a reaction' });
  await picker.getByRole('button', { name: choice, exact: true }).click();
  await picker.waitFor({ state: 'hidden' });
}

/** The reaction chip named exactly `name` ("👍 2: Bob, You") in message `id`'s row. */
export function chip(page: Page, id: string, name: string): Locator {
  return rowOf(page, id).getByRole('button', { name, exact: true });
}

/** Waits for chip `name` on message `id` with `aria-pressed` = `pressed` (ours or not). */
export async function chipShows(page: Page, id: string, name: string, pressed: boolean) {
  const c = chip(page, id, name);
  await c.waitFor({ timeout: 20_000 });
  assert.equal(await c.getAttribute('aria-pressed'), String(pressed), `${name} pressed`);
}

/** Whether message `id`'s row shows the "edited" mark. */
export async function showsEdited(page: Page, id: string): Promise<boolean> {
  return (await rowOf(page, id).locator('.edited', { hasText: 'edited' }).count()) > 0;
}

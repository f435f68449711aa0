/**
 * Export and import end to end (issue 24, item 5), in the built app: Alice and Bob make a
 * room's history through the row actions (messages, an edit, a deletion, reactions, a reply);
 * Alice exports it from Settings as JSON and as a web page (no script, the edited text, the
 * deletion said). A new account in a fresh browser context imports the JSON and, with nobody
 * else in the room to catch up from, shows the same rows. A copy with one message's text
 * changed is imported into another fresh account: that line is refused and said so in words,
 * the rest taken.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  connectedOn,
  openUser,
  say,
  shows,
  signUp,
  suiteUsers,
  useAppAndBrowser,
  type User,
} from './harness.js';

const ROOM = 'exported';
const T = {
  bob: 'hello from Bob, the first one',
  typo: 'a tpyo here',
  fixed: 'no typo here any more',
  gone: 'this one will be gone',
  liked: 'react to this one',
  answer: 'answering Bob',
  tamper: 'tamper with me later',
};

/** A row as the list model has it, reduced to what an export must carry. */
interface RowView {
  from: string;
  text: string;
  edited: boolean;
  deleted: boolean;
  reactions: string[];
  reply: string | undefined;
}

/** The rows of the list (not events or notes), oldest first, as {@link RowView}s. */
function rows(page: Page): Promise<RowView[]> {
  return page.evaluate(() => {
    type Row = {
      text: string;
      from: { name: string };
      event?: unknown;
      note?: string;
      edited?: number;
      deleted?: true;
      reactions?: Array<{ emoji: string; by: Array<{ name: string }> }>;
      replyTo?: { excerpt?: string };
    };
    const list = document
      .querySelector('parley-chat')
      ?.shadowRoot?.querySelector('parley-messages') as (Element & { messages: Row[] }) | null;
    return (list?.messages ?? [])
      .filter((m) => !m.event && m.note === undefined)
      .map((m) => ({
        from: m.from.name,
        text: m.text,
        edited: m.edited !== undefined,
        deleted: m.deleted === true,
        reactions: (m.reactions ?? [])
          .filter((r) => r.by.length > 0)
          .map((r) => `${r.emoji} ${r.by.map((b) => b.name).join(', ')}`),
        reply: m.replyTo?.excerpt,
      }));
  });
}

/** Waits, bounded, until `check` holds. */
async function until(check: () => Promise<boolean>, what: string, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const row = (page: Page, text: string) => page.locator('li.msg', { hasText: text });

/** Presses one of a row's actions ("Reply", "React", "Edit", "Delete"): hovered, it shows them. */
async function act(page: Page, text: string, action: string): Promise<Locator> {
  const r = row(page, text);
  await r.hover();
  await r
    .getByRole('toolbar', { name: 'Message actions' })
    .getByRole('button', { name: action, exact: true })
    .click();
  return r;
}

/** Reacts 👍 to the row showing `text`. */
async function thumbsUp(page: Page, text: string) {
  const r = await act(page, text, 'React');
  await r
    .getByRole('group', { name: 'Choose a reaction' })
    .getByRole('button', { name: 'thumbs up' })
    .click();
}

/** Opens Settings (if it is not open) and returns its dialog. */
async function settings(page: Page): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Settings' }).click();
  await dialog.waitFor();
  return dialog;
}

/** Presses the export button `name` in Settings and returns the saved file's name and text. */
async function exported(page: Page, name: string) {
  const dialog = await settings(page);
  const saved = page.waitForEvent('download', { timeout: 20_000 });
  await dialog.getByRole('button', { name, exact: true }).click();
  const file = await saved;
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
}

/** Imports `text` as a JSON file through Settings' "Import history"; returns the result line. */
async function imported(page: Page, text: string, want: RegExp): Promise<string> {
  const dialog = await settings(page);
  await dialog.getByLabel('Import history').setInputFiles({
    name: `parley-${ROOM}.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  const status = page.locator('parley-settings-history').getByRole('status');
  await until(async () => want.test((await status.textContent()) ?? ''), `import: ${want}`);
  const said = ((await status.textContent()) ?? '').trim();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  return said;
}

/** Opens the exported room on `page` (a hash change, as a link would) and waits for its rows. */
async function openRoom(page: Page, last: string) {
  await page.goto(`${page.url().split('#')[0]}#room=${ROOM}`);
  await page.getByRole('heading', { level: 1, name: new RegExp(ROOM) }).waitFor();
  await connectedOn(page);
  await shows(page, last);
}

describe('history export and import', { timeout: 240_000 }, () => {
  const app = useAppAndBrowser();
  const open = suiteUsers(app);
  let json = '';
  let want: RowView[] = [];

  it('exports a room with an edit, a deletion, reactions and a reply as JSON and as a web page', async () => {
    const [alice, bob] = [await open(`#room=${ROOM}`, 'Alice'), await open(`#room=${ROOM}`, 'Bob')];
    await say(bob.page, T.bob);
    await shows(alice.page, T.bob);
    for (const t of [T.typo, T.gone, T.liked]) await say(alice.page, t);
    await shows(bob.page, T.liked);

    await act(alice.page, T.typo, 'Edit');
    await say(alice.page, T.fixed);
    const doomed = await act(alice.page, T.gone, 'Delete');
    await doomed.locator('.confirm').getByRole('button', { name: 'Delete', exact: true }).click();
    await thumbsUp(alice.page, T.liked);
    await act(alice.page, T.bob, 'Reply');
    await say(alice.page, T.answer);
    await say(alice.page, T.tamper);
    await shows(bob.page, T.tamper);
    await thumbsUp(bob.page, T.liked);

    want = [
      { from: 'Bob', text: T.bob, edited: false, deleted: false, reactions: [], reply: undefined },
      {
        from: 'Alice',
        text: T.fixed,
        edited: true,
        deleted: false,
        reactions: [],
        reply: undefined,
      },
      { from: 'Alice', text: '', edited: false, deleted: true, reactions: [], reply: undefined },
      {
        from: 'Alice',
        text: T.liked,
        edited: false,
        deleted: false,
        reactions: ['👍 Alice, Bob'],
        reply: undefined,
      },
      { from: 'Alice', text: T.answer, edited: false, deleted: false, reactions: [], reply: T.bob },
      {
        from: 'Alice',
        text: T.tamper,
        edited: false,
        deleted: false,
        reactions: [],
        reply: undefined,
      },
    ];
    // Both sides agree before anything is exported.
    for (const u of [alice, bob]) {
      await until(
        async () => JSON.stringify(await rows(u.page)) === JSON.stringify(want),
        `the rows at ${u === alice ? 'Alice' : 'Bob'}`,
      );
    }

    const file = await exported(alice.page, 'Export history (JSON)');
    assert.match(file.name, new RegExp(`^parley-${ROOM}-\\d{4}-\\d\\d-\\d\\d\\.json$`));
    json = file.text;
    const doc = JSON.parse(json) as { room: string; count: number; messages: unknown[] };
    assert.equal(doc.room, ROOM);
    // Six messages (the reply among them) and four events: an edit, a deletion, two reactions.
    assert.equal(doc.messages.length, doc.count);
    assert.equal(doc.count, 6 + 4);

    const page = await exported(alice.page, 'Export as web page (HTML)');
    assert.match(page.name, /\.html$/);
    assert.doesNotMatch(page.text, /<script/i);
    assert.match(page.text, new RegExp(T.fixed));
    assert.match(page.text, /message deleted/);
    assert.doesNotMatch(page.text, new RegExp(T.gone), 'a deleted text is not in the page');
    assert.match(page.text, new RegExp(T.answer));
    assert.deepEqual([...alice.problems, ...bob.problems], []);
    // Nobody is left in the room to catch up from: what shows later came from the file.
    await Promise.all([alice.context.close(), bob.context.close()]);
  });

  it('a fresh account imports the JSON and shows the same rows', async () => {
    assert.ok(json, 'the export test ran');
    const carol = await freshUser(app, 'Carol');
    try {
      const doc = JSON.parse(json) as { count: number };
      const said = await imported(carol.page, json, /Imported/);
      assert.equal(said, `Imported ${doc.count} messages into #${ROOM}.`);
      await openRoom(carol.page, T.tamper);
      await until(
        async () => JSON.stringify(await rows(carol.page)) === JSON.stringify(want),
        'the imported rows',
      );
      // As the rows show them.
      const p = carol.page;
      await row(p, T.fixed).getByText('edited', { exact: true }).waitFor();
      await p.locator('li.msg', { hasText: 'message deleted' }).waitFor();
      await row(p, T.liked).getByRole('button', { name: '👍 2: Alice, Bob' }).waitFor();
      await row(p, T.answer).locator('[part~="quote"]', { hasText: T.bob }).waitFor();
      assert.deepEqual(carol.problems, []);
    } finally {
      await carol.context.close();
    }
  });

  it('a tampered line is refused and said so; the rest is imported', async () => {
    assert.ok(json, 'the export test ran');
    const lines = json.split('\n');
    const at = lines.findIndex((l) => l.includes(T.tamper));
    assert.ok(at > 0, 'the line to change');
    lines[at] = lines[at]!.replace(T.tamper, 'tampered with, later');
    const doc = JSON.parse(lines.join('\n')) as { count: number };

    const dave = await freshUser(app, 'Dave');
    try {
      const said = await imported(dave.page, lines.join('\n'), /Imported/);
      assert.match(
        said,
        new RegExp(`^Imported ${doc.count - 1} messages into #${ROOM} \\(1 refused`),
      );
      assert.match(said, /signature/);
      await openRoom(dave.page, T.answer);
      await until(
        async () => JSON.stringify(await rows(dave.page)) === JSON.stringify(want.slice(0, -1)),
        'every row but the changed one',
      );
      const texts = (await rows(dave.page)).map((r) => r.text);
      assert.ok(!texts.some((t) => t.includes('tamper')), 'neither text of the changed line');
      assert.deepEqual(dave.problems, []);
    } finally {
      await dave.context.close();
    }
  });
});

/** A new account in a browser context of its own, in a room of its own. */
async function freshUser(app: ReturnType<typeof useAppAndBrowser>, name: string): Promise<User> {
  const user = await openUser(app.browser, `${app.server.url}/#room=${name.toLowerCase()}-home`);
  await signUp(user.page, name);
  return user;
}

/**
 * "Export identity" / "Import identity" across origins, in real browsers with the built app:
 * Alice exports her identity from the app at one origin (localhost) into a file sealed with a
 * passphrase; an agent's account in another browser, on the app at 127.0.0.1 (another origin,
 * so another IndexedDB), imports it — refused with a wrong passphrase, then taken — and shows Alice's
 * safety code. What it signs after that verifies for Bob as Alice's identity: the same id and
 * key as the messages Alice wrote before.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  checkAxe,
  openUser,
  replaceIdentity,
  say,
  shows,
  signUp,
  useAppAndBrowser,
  type User,
} from './harness.js';

const PASSPHRASE = 'lantern quarry mosaic thistle';

/** Our safety code as Settings → You shows it (Settings is opened and left open). */
async function ownCode(page: Page): Promise<string> {
  await openSettings(page);
  const code = page.locator('parley-identity-card [part=code]');
  await code.waitFor();
  return (await code.innerText()).replace(/\s+/g, ' ').trim();
}

async function openSettings(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Settings' }).click();
  await dialog.waitFor();
}

/** The author (identity id and key) of each message `page` shows, by text. */
function authors(page: Page): Promise<Record<string, { id: string; key: string }>> {
  return page.evaluate(() => {
    const list = document
      .querySelector('parley-chat')
      ?.shadowRoot?.querySelector('parley-messages') as
      (Element & { messages: Array<{ text: string; from: { id: string; key: string } }> }) | null;
    return Object.fromEntries(
      (list?.messages ?? []).map((m) => [m.text, { id: m.from.id, key: m.from.key }]),
    );
  });
}

describe('an identity moved to another origin', { timeout: 180_000 }, () => {
  const app = useAppAndBrowser();
  const users: User[] = [];

  async function open(origin: string, name: string) {
    const user = await openUser(app.browser, `${origin}/#room=help-desk`);
    users.push(user);
    await signUp(user.page, name);
    return user;
  }

  it('exports on one origin, imports on another with the same safety code, signs as Alice', async (t) => {
    t.after(() => Promise.all(users.map((u) => u.context.close())));
    const here = app.server.url.replace(/\/$/, '');
    // The same server by its other name: another origin, so another IndexedDB.
    const there = here.includes('localhost')
      ? here.replace('localhost', '127.0.0.1')
      : here.replace('127.0.0.1', 'localhost');
    assert.notEqual(here, there);

    const alice = await open(here, 'Alice');
    const bob = await open(here, 'Bob');
    await say(alice.page, 'Hi, this is Alice on her laptop');
    await shows(bob.page, 'Hi, this is Alice on her laptop');
    const code = await ownCode(alice.page);
    assert.match(code, /^\d{5}( \d{5}){5}$/);

    // Export: the password, then the passphrase twice.
    const page = alice.page;
    await page.getByRole('button', { name: 'Export identity' }).click();
    await page.getByLabel('Your password').fill('correct horse');
    await page.getByLabel('New passphrase for the file').fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(PASSPHRASE);
    await checkAxe(page, 'the export form');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save file' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'parley-identity-Alice.json');
    const file = await readFile((await download.path())!, 'utf8');
    const header = JSON.parse(file) as Record<string, string>;
    assert.equal(header.format, 'parley-identity-sealed/1');
    assert.equal(header.safetyCode, code);
    await alice.context.close(); // the laptop goes away

    // Another origin: the agent's own account, with an identity of its own.
    const agent = await open(there, 'Agent');
    const before = await ownCode(agent.page);
    assert.notEqual(before, code);
    const ap = agent.page;
    await ap.getByRole('button', { name: 'Import identity' }).click();
    await ap.getByLabel('Identity file').setInputFiles({
      name: 'parley-identity-Alice.json',
      mimeType: 'application/json',
      buffer: Buffer.from(file),
    });
    const whose = ap.locator('parley-identity-port [part=file-identity]');
    await whose.waitFor();
    assert.match(await whose.innerText(), /This file holds the identity of Alice, safety code/);
    assert.ok((await whose.innerText()).replace(/\s+/g, ' ').includes(code));
    assert.match(
      (await ap.locator('parley-identity-port [part=warning]').innerText()).replace(/\s+/g, ' '),
      /Importing replaces this account's identity on this browser \(safety code [\d ]+\)/,
    );

    await checkAxe(ap, 'the import form, a file chosen');
    // A wrong passphrase: refused, said so, nothing replaced.
    await replaceIdentity(
      ap,
      'not the right passphrase',
      'error',
      'That passphrase does not open this file',
    );
    assert.equal(await ownCode(ap), before);

    await replaceIdentity(
      ap,
      PASSPHRASE,
      'notice',
      `Imported: you are now the identity with safety code ${code}.`,
    );
    // The session took the account up afresh: Settings shows Alice's code for this account.
    await ap
      .locator('parley-identity-card [part=code]')
      .filter({ hasText: new RegExp(code.split(' ').join('\\s*')) })
      .waitFor({ timeout: 15_000 });
    await ap.keyboard.press('Escape');

    // What it signs now, Bob takes as Alice's identity.
    await ap.getByRole('dialog', { name: 'Settings' }).waitFor({ state: 'hidden' });
    await say(ap, 'Hello again, from the help desk');
    await shows(bob.page, 'Hello again, from the help desk');
    const seen = await authors(bob.page);
    assert.deepEqual(
      seen['Hello again, from the help desk'],
      seen['Hi, this is Alice on her laptop'],
    );
    assert.equal(seen['Hi, this is Alice on her laptop']!.key, header.publicKey);
    for (const u of [agent, bob]) assert.deepEqual(u.problems, []);
  });
});

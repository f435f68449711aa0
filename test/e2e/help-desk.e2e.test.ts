import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  checkAxe,
  launchChromium,
  loginAs,
  openUser,
  replaceIdentity,
  serveSite,
  type User,
} from './harness.js';
import { freePort, spawnServer, type ServerProcess } from '../support/processes.js';
import { startKeeper, TOKEN, type KeeperProcess } from '../keeper/helpers.js';
import Database from 'better-sqlite3';
import { connect } from '../../src/node/index.js';
import { deskRoomOf, makeKnock, readAgentCard } from '../../src/protocol/desk.js';
import { createIdentity } from '../../src/protocol/identity.js';
import { newPrivateRoom } from '../../src/protocol/room-id.js';

/**
 * A shop on another origin with a help desk: guest visitors, each in a private conversation
 * with the agents its page lists. `AGENTS` is replaced by the agents' help-desk keys.
 */
const SHOP_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Bakery</title>
    <script type="module" src="PARLEY/lib/parley.js"></script>
  </head>
  <body style="margin:0">
    <main>
      <h1>Bakery</h1>
      <parley-chat id="help" guest ask-email support="bakery" agents="AGENTS" server="PARLEY"
        greeting="Questions? Ask the bakery" away="We usually answer within a few hours."
        style="height:600px;max-width:440px"></parley-chat>
    </main>
  </body>
</html>`;

/** The shop's own admin page, on the same other origin: the agents' inbox. */
const ADMIN_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Bakery admin</title>
    <script type="module" src="PARLEY/lib/parley.js"></script>
  </head>
  <body style="margin:0">
    <main>
      <parley-inbox support="bakery" server="PARLEY" style="height:640px"></parley-inbox>
    </main>
  </body>
</html>`;

const PASSPHRASE = 'lantern quarry mosaic thistle';
const QUESTION = 'Hi, do you have gluten-free bread?';
const ANSWER = 'Yes: every Tuesday, rye and buckwheat.';

/** The help-desk key on an agent's Settings → You. */
async function helpDeskKey(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('dialog', { name: 'Settings' }).waitFor();
  // Slotted into the panel (Settings → You), so looked for in the page, not the dialog.
  await page.locator('summary', { hasText: 'Help-desk key' }).click();
  const key = await page.getByRole('textbox', { name: 'Help-desk key' }).inputValue();
  await page.keyboard.press('Escape');
  return key;
}

/** Every byte of the keeper's store files (its SQLite database and journal). */
async function storeBytes(dir: string): Promise<Buffer> {
  const files = await readdir(dir);
  const parts = await Promise.all(
    files.filter((f) => f.startsWith('keeper')).map((f) => readFile(join(dir, f))),
  );
  return Buffer.concat(parts);
}

describe('a help desk: a guest asks while nobody is there', { timeout: 240_000 }, () => {
  let port: number;
  let server: ServerProcess;
  let keeper: KeeperProcess;
  let browser: Browser;
  let dir: string;
  const pages: Record<string, string> = {};
  let site: Awaited<ReturnType<typeof serveSite>>;
  const env = { PARLEY_KEEPER_TOKEN: TOKEN };

  before(async () => {
    port = await freePort();
    server = await spawnServer(port, env);
    dir = await mkdtemp(join(tmpdir(), 'parley-desk-keeper-'));
    keeper = startKeeper(server.url, dir);
    await keeper.id();
    site = await serveSite(pages);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await keeper?.stop();
    await server?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  let agent: User;
  let card: string;

  it('keeps her question sealed across a kill -9, for the agent to read and answer', async () => {
    // The agent makes an account in the app's inbox and gives the site owner their key.
    agent = await openUser(browser, `${server.url}/?inbox=bakery`);
    await loginAs(agent.page, 'Ann', 'correct horse', 'Create account');
    await agent.page.getByRole('dialog').waitFor({ state: 'hidden' });
    await agent.page.getByText('No conversations yet.').waitFor();
    card = await helpDeskKey(agent.page);
    assert.match(card, /^ed25519:[\w-]{43}~x25519:[\w-]{43}$/);
    await agent.page.close(); // the agent goes home
    pages['/shop.html'] = SHOP_PAGE.replaceAll('PARLEY', server.url).replace('AGENTS', card);

    // A visitor asks an hour before the agent comes back (her page's clock says so).
    const visitor = await openUser(browser, 'about:blank');
    await visitor.context.clock.install({ time: Date.now() - 3_600_000 });
    let page = visitor.page;
    await page.goto(`${site.url}shop.html`);
    const help = page.locator('#help');
    await help.getByRole('textbox', { name: /Email for a reply/ }).fill('mia@example.org');
    const question = help.getByRole('textbox', { name: 'Your question' });
    await question.fill(QUESTION);
    await question.press('Enter');
    await help.locator('li.msg.own', { hasText: QUESTION }).waitFor();
    // Nobody is here: she is told so, in the site's words.
    await help.locator('[part~=desk-away]', { hasText: 'within a few hours' }).waitFor();
    await checkAxe(page, "a visitor's conversation, nobody online");
    assert.equal(await help.locator('[part~=desk-online]').count(), 0);
    await help.locator('[part~=encrypted]').waitFor();
    // The keeper holds her question (and her knock) before the server dies.
    const kept = async () => (await storeBytes(dir)).length;
    const before = await kept();
    for (let i = 0; i < 100 && (await kept()) === before; i++) await page.waitForTimeout(100);
    await page.waitForTimeout(1500);
    await page.close();

    await server.kill('SIGKILL');
    server = await spawnServer(port, env);

    // What the keeper's store holds, read with the server's own access: not a word of hers.
    const bytes = await storeBytes(dir);
    assert.ok(bytes.includes('desk.bakery'), 'the desk is kept');
    for (const secret of ['gluten-free', 'mia@example.org', 'buckwheat'])
      assert.ok(!bytes.includes(secret), `the store does not hold "${secret}"`);

    // An hour later the agent opens the inbox: her conversation waits, unanswered.
    agent = { ...agent, page: await agent.context.newPage() };
    await agent.page.goto(`${server.url}/?inbox=bakery`);
    const line = agent.page.locator('[part~=room]', { hasText: 'Visitor' });
    await line.waitFor({ timeout: 30_000 });
    await line.locator('[part~=room-waiting]').waitFor();
    await line
      .locator('[part~=room-email]', { hasText: 'mia@example.org (not checked)' })
      .waitFor();
    assert.match(
      (await line.locator('[part~=room-fingerprint]').innerText()).trim(),
      /^\d{5} \d{5} \d{5}$/,
    );
    await agent.page.locator('li.msg', { hasText: QUESTION }).waitFor({ timeout: 30_000 });
    await checkAxe(agent.page, 'the inbox, a conversation open');
    const box = agent.page.getByRole('textbox', { name: 'Message' });
    await box.fill(ANSWER);
    await box.press('Enter');
    await agent.page.locator('li.msg.own', { hasText: ANSWER }).waitFor();
    await line.locator('[part~=room-waiting]').waitFor({ state: 'detached' });
    await agent.page.waitForTimeout(1500);
    await agent.page.close();

    // She comes back (her clock right again): the answer is there.
    page = await visitor.context.newPage();
    await page.clock.setSystemTime(new Date());
    await page.goto(`${site.url}shop.html`);
    await page.locator('#help li.msg.own', { hasText: QUESTION }).waitFor();
    await page.locator('#help li.msg', { hasText: ANSWER }).waitFor({ timeout: 30_000 });
    // Her page's clock was an hour off, so no signed receipt counted then; now the keeper's does
    // (the agent is away): kept for them, not "delivered".
    await page
      .locator('#help li.msg.own', { hasText: QUESTION })
      .locator('[part~=status]', { hasText: 'kept for when they’re back' })
      .waitFor({ timeout: 30_000 });
    const bytesAfter = await storeBytes(dir);
    assert.ok(!bytesAfter.includes('buckwheat'), 'the answer is kept sealed too');
    assert.deepEqual(visitor.problems, []);
    assert.deepEqual(agent.problems, []);
  });

  it("an agent's identity imported into the site's own inbox reads the same conversations", async () => {
    // Exported from the app, where the agent made it.
    const page = await agent.context.newPage();
    await page.goto(`${server.url}/?inbox=bakery`);
    await page.locator('li.msg', { hasText: ANSWER }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Settings' }).click();
    const code = page.locator('parley-identity-card [part=code]');
    const safety = (await code.innerText()).replace(/\s+/g, ' ').trim();
    await page.getByRole('button', { name: 'Export identity' }).click();
    await page.getByLabel('Your password').fill('correct horse');
    await page.getByLabel('New passphrase for the file').fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(PASSPHRASE);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save file' }).click(),
    ]);
    const file = await readFile((await download.path())!);

    // The site's admin page, another origin (another browser): an account, then the import.
    pages['/admin.html'] = ADMIN_PAGE.replaceAll('PARLEY', server.url);
    const admin = await openUser(browser, `${site.url}admin.html`);
    const ap = admin.page;
    await loginAs(ap, 'Ann at the shop', 'another horse', 'Create account');
    await ap.getByText('No conversations yet.').waitFor({ timeout: 20_000 });
    await ap.getByRole('button', { name: 'Settings' }).click();
    await ap.getByRole('button', { name: 'Import identity' }).click();
    await ap.getByLabel('Identity file').setInputFiles({
      name: 'parley-identity-Ann.json',
      mimeType: 'application/json',
      buffer: file,
    });
    await replaceIdentity(
      ap,
      'not the right passphrase',
      'error',
      'That passphrase does not open this file',
    );
    await replaceIdentity(
      ap,
      PASSPHRASE,
      'notice',
      `Imported: you are now the identity with safety code ${safety}.`,
    );
    await ap.keyboard.press('Escape');
    // The inbox opens the knocks addressed to that identity: her conversation, with both words.
    await ap.locator('[part~=room]', { hasText: 'Visitor' }).waitFor({ timeout: 30_000 });
    await ap.locator('li.msg', { hasText: QUESTION }).waitFor({ timeout: 30_000 });
    await ap.locator('li.msg.own', { hasText: ANSWER }).waitFor({ timeout: 30_000 });
    assert.deepEqual(admin.problems, []);
  });

  it('a flood of knocks and chatter in the desk neither hides her question nor fills the inbox', async () => {
    // Mallory holds the page's agent key (it is public) and an identity of his own.
    const agentKey = (await readAgentCard(card))!;
    const mallory = await connect(server.url, {
      name: 'Visitor',
      identity: await createIdentity(),
    });
    const desk = await mallory.join(deskRoomOf('bakery'));
    try {
      const raw = crypto.getRandomValues(new Uint8Array(32));
      for (let i = 0; i < 40; i++) {
        const { room, nonce } = await newPrivateRoom(mallory.identity.publicKey);
        const payload = { room, nonce, title: 'Visitor 3108', email: 'mia@example.org' };
        const made = await makeKnock(desk.name, mallory.id, raw, payload, [agentKey]);
        await desk.post(made!.knock);
      }
      for (let i = 0; i < 150; i++) await desk.send(`chatter ${i}`);
      for (let i = 0; i < 100 && desk.unacknowledged > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
    } finally {
      mallory.close();
    }
    // The keeper holds knocks only in the desk: the chatter was never stored.
    const db = new Database(join(dir, 'keeper.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT envelope FROM messages WHERE room = 'desk.bakery'")
        .all() as Array<{ envelope: string }>;
      assert.ok(rows.length > 0);
      for (const { envelope } of rows) assert.equal(JSON.parse(envelope).body.kind, 'knock');
    } finally {
      db.close();
    }
    // The inbox: her conversation, and one line for Mallory however many rooms he knocked for.
    const page = await agent.context.newPage();
    await page.goto(`${server.url}/?inbox=bakery`);
    const lines = page.locator('parley-rooms [part~=room]');
    await page
      .locator('parley-rooms [part~=room]', { hasText: 'mia@example.org' })
      .first()
      .waitFor();
    await page.waitForTimeout(3000);
    assert.equal(await lines.count(), 2, 'one line per visitor');
    const fps = await page.locator('parley-rooms [part~=room-fingerprint]').allInnerTexts();
    assert.equal(new Set(fps).size, 2, 'two visitors, told apart by their fingerprints');
    await page.close();
  });
});

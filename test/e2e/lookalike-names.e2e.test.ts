/**
 * Passing as someone else on screen (issue 26, item 1), in real browsers with the built app:
 * Mallory, an account of her own (her own valid identity key), takes the name "Aӏice" (a
 * Cyrillic palochka for the l), which renders as "Alice". Bob, who talked to Alice before, is
 * warned on her rows and in the member list; so is Carol, who never met either; Bob's own name
 * is not. Every row and line shows the first half of the author's safety code (15 digits), and
 * once Bob verifies Alice her rows say so. Screenshots of both lists, desktop and phone, go to
 * /tmp/identity/ when PARLEY_SHOTS is set.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { say, shows, suiteUsers, useAppAndBrowser } from './harness.js';

const FAKE = 'A\u04CFice';

/** The author names, fingerprints, flags and Verified marks of the message rows on screen. */
function rowsOf(page: Page) {
  return page.evaluate(() => {
    const list = document
      .querySelector('parley-chat')!
      .shadowRoot!.querySelector('parley-messages')!;
    return [...list.shadowRoot!.querySelectorAll('li.msg:not(.own)')].map((li) => ({
      text: li.querySelector('.text')?.textContent ?? '',
      fp: li.querySelector('[part=author]')?.getAttribute('data-fp') ?? '',
      flag: li.querySelector('[part=flag]')?.textContent ?? '',
      verified: li.querySelector('[part=verified]')?.textContent ?? '',
    }));
  });
}

/** The warning of the member list's line for the member called `name`, or ''. */
function rosterWarning(page: Page, name: string) {
  return page.evaluate((n) => {
    const roster = document
      .querySelector('parley-chat')!
      .shadowRoot!.querySelector('parley-roster')!;
    const li = [...roster.shadowRoot!.querySelectorAll('li')].find(
      (l) => l.querySelector('.name')?.textContent === n,
    );
    return li?.querySelector('[part=warning]')?.textContent?.trim() ?? '';
  }, name);
}

describe('look-alike names in real browsers', { timeout: 240_000 }, () => {
  const app = useAppAndBrowser();
  const open = suiteUsers(app);

  it('warns Bob and a newcomer about "Aӏice" on the rows and in the member list', async () => {
    const alice = await open('#room=orchard-gate', 'Alice');
    const bob = await open('#room=orchard-gate', 'Bob');
    await say(alice.page, 'the gate code is in the shed');
    await shows(bob.page, 'the gate code is in the shed');
    const mallory = await open('#room=orchard-gate', FAKE);
    await say(mallory.page, 'send me the gate code please');
    await shows(bob.page, 'send me the gate code please');
    const warned = async (page: Page, what: string) => {
      for (let i = 0; i < 200; i++) {
        const row = (await rowsOf(page)).find((r) => r.text === 'send me the gate code please');
        if (row?.flag && (await rosterWarning(page, FAKE))) return row;
        await page.waitForTimeout(50);
      }
      assert.fail(`${what}: no warning`);
    };
    const row = await warned(bob.page, 'Bob');
    assert.equal(row.flag, '⚠ Not the Alice you talked to before');
    assert.match(row.fp, /^\d{5} \d{5} \d{5}$/);
    assert.match(
      await rosterWarning(bob.page, FAKE),
      /^⚠ Not the Aӏice you talked to before \(\d{5} \d{5} \d{5}\)/,
    );
    const real = (await rowsOf(bob.page)).find((r) => r.text === 'the gate code is in the shed')!;
    assert.equal(real.flag, '', 'the real Alice is not flagged');
    assert.notEqual(real.fp, row.fp);
    assert.equal(await rosterWarning(bob.page, 'Alice'), '');

    // Carol never met either: both names look alike to her, and she is told.
    const carol = await open('#room=orchard-gate', 'Carol');
    await shows(carol.page, 'send me the gate code please');
    const hers = await warned(carol.page, 'Carol');
    assert.equal(hers.flag, "⚠ Looks like Alice's name — another person");
    assert.match(
      await rosterWarning(carol.page, FAKE),
      /^⚠ Not the same person as Alice \(\d{5} \d{5} \d{5}\): the names look alike, the keys differ — compare safety codes\. The name mixes Latin and Cyrillic letters\.$/,
    );
    assert.equal(await rosterWarning(carol.page, 'Bob'), '', 'a different name');

    // Bob compares Alice's code and marks her verified: her rows say so.
    const roster = bob.page
      .locator('parley-roster li', { hasText: 'Alice' })
      .filter({ hasNotText: FAKE });
    await roster.getByText('Safety code').click();
    await roster.getByRole('button', { name: /Mark as verified/ }).click();
    for (let i = 0; i < 200; i++) {
      const r = (await rowsOf(bob.page)).find((x) => x.text === 'the gate code is in the shed');
      if (r?.verified) break;
      await bob.page.waitForTimeout(50);
    }
    const marked = (await rowsOf(bob.page)).find((r) => r.text === 'the gate code is in the shed')!;
    assert.equal(marked.verified, '✓ Verified');
    assert.equal(
      (await rowsOf(bob.page)).find((r) => r.text === 'send me the gate code please')!.verified,
      '',
    );

    // Screen readers get the fingerprint (CSS generated content is in the accessible text),
    // the flag and the mark, not only the eye.
    const heard = await bob.page.locator('parley-messages').ariaSnapshot();
    assert.ok(heard.includes(`Alice ${marked.fp}`), heard);
    assert.ok(heard.includes('✓ Verified'), heard);
    assert.ok(heard.includes(`${FAKE} ${row.fp}`), heard);
    assert.ok(heard.includes('⚠ Not the Alice you talked to before'), heard);

    if (process.env.PARLEY_SHOTS) {
      const dir = process.env.PARLEY_SHOTS;
      await bob.page.screenshot({ path: `${dir}/bob-desktop.png` });
      await carol.page.screenshot({ path: `${dir}/carol-desktop.png` });
      for (const [who, user] of [
        ['bob', bob],
        ['carol', carol],
      ] as const) {
        await user.page.setViewportSize({ width: 390, height: 844 });
        await user.page.waitForTimeout(300);
        await user.page.screenshot({ path: `${dir}/${who}-phone.png` });
        const members = user.page.getByRole('button', { name: /Members|People|In this room/ });
        if (await members.count()) {
          await members.first().click();
          await user.page.waitForTimeout(300);
          await user.page.screenshot({ path: `${dir}/${who}-phone-members.png` });
        }
      }
    }
    assert.deepEqual(
      [...alice.problems, ...bob.problems, ...mallory.problems, ...carol.problems],
      [],
    );
  });
});

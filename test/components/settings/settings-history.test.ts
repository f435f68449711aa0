/**
 * Settings' History: the two export buttons and the "Import history" field ask (events), the
 * status line says what happened, `busy` holds everything back; placed in the panel's *You*
 * part, its events leave the panel and its words come in through it.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { ParleySettingsHistory } from '../../../src/components/settings/settings-history.js';
import type { ParleySettings } from '../../../src/components/settings/parley-settings.js';
import '../../../src/components/settings/settings-define.js';

if (!customElements.get('parley-settings-history'))
  customElements.define('parley-settings-history', ParleySettingsHistory);

const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The button named `name` (its whole text). */
function button(root: ShadowRoot, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => text(b) === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

/** The field whose label says `name`. */
function field(root: ShadowRoot, name: string): HTMLInputElement {
  const label = [...root.querySelectorAll('label')].find((l) => text(l) === name);
  const input = label?.querySelector('input');
  if (!input) throw new Error(`no field "${name}"`);
  return input;
}

/** Picks `file` in `input` as a user would (the browser's change event). */
function pick(input: HTMLInputElement, file: File): void {
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('<parley-settings-history>', () => {
  it('asks for an export in either format, and for an import of the picked file', async () => {
    const el = await fixture<ParleySettingsHistory>(
      html`<parley-settings-history></parley-settings-history>`,
    );
    const root = el.shadowRoot!;
    expect(text(root.querySelector('h4'))).to.equal('History');
    setTimeout(() => button(root, 'Export history (JSON)').click());
    expect((await oneEvent(el, 'parley-history-export')).detail).to.deep.equal({ format: 'json' });
    setTimeout(() => button(root, 'Export as web page (HTML)').click());
    const html2 = await oneEvent(el, 'parley-history-export');
    expect(html2.detail).to.deep.equal({ format: 'html' });
    expect(html2.bubbles && html2.composed).to.equal(true);

    const input = field(root, 'Import history');
    expect(input.type).to.equal('file');
    expect(input.accept).to.equal('.json,application/json');
    const file = new File(['{}'], 'parley-general.json', { type: 'application/json' });
    setTimeout(() => pick(input, file));
    const picked = await oneEvent(el, 'parley-history-import');
    expect(picked.detail.file).to.equal(file);
    // Cleared, so the same file can be picked again.
    expect(input.value).to.equal('');
  });

  it('says how it went in a live status line, and waits while busy', async () => {
    const el = await fixture<ParleySettingsHistory>(
      html`<parley-settings-history></parley-settings-history>`,
    );
    const root = el.shadowRoot!;
    const status = root.querySelector('[role=status]')!;
    expect(status.getAttribute('aria-live')).to.equal('polite');
    el.result = 'Imported 120 messages into #general (3 already here).';
    el.busy = true;
    await el.updateComplete;
    expect(text(status)).to.equal('Imported 120 messages into #general (3 already here).');
    const fired: string[] = [];
    el.addEventListener('parley-history-export', () => fired.push('export'));
    el.addEventListener('parley-history-import', () => fired.push('import'));
    for (const name of ['Export history (JSON)', 'Export as web page (HTML)'])
      expect(button(root, name).disabled).to.equal(true);
    expect(field(root, 'Import history').disabled).to.equal(true);
    button(root, 'Export history (JSON)').click();
    pick(field(root, 'Import history'), new File(['x'], 'x.json'));
    expect(fired).to.deep.equal([]);
    el.busy = false;
    await el.updateComplete;
    button(root, 'Export history (JSON)').click();
    expect(fired).to.deep.equal(['export']);
  });

  it('sits in Settings under You: its words come in, its requests go out', async () => {
    const panel = await fixture<ParleySettings>(html`<parley-settings></parley-settings>`);
    panel.historyResult = 'This file is not a Parley history export.';
    panel.open = true;
    await panel.updateComplete;
    const you = panel.shadowRoot!.querySelector('section#part-you')!;
    expect(text(you.querySelector('h3'))).to.equal('You');
    const part = you.querySelector('parley-settings-history')!;
    expect(part, 'the History part in You').to.exist;
    await (part as ParleySettingsHistory).updateComplete;
    expect(text(part.shadowRoot!.querySelector('[role=status]'))).to.equal(
      'This file is not a Parley history export.',
    );
    setTimeout(() => button(part.shadowRoot!, 'Export as web page (HTML)').click());
    const asked = await oneEvent(panel, 'parley-history-export');
    expect(asked.detail).to.deep.equal({ format: 'html' });
    panel.historyBusy = true;
    await panel.updateComplete;
    expect((part as ParleySettingsHistory).busy).to.equal(true);
    panel.open = false;
  });
});

/**
 * The composer's files: "Attach file" opens a picker whose files go to the files API, pasted
 * image files are attached (pasted text stays text), refusals are said under the field, and a
 * file chosen while the files API still loads waits for it.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ParleyComposer } from '../../../src/components/composer/parley-composer.js';
import { FakeFiles, png } from '../messages/fake-files.js';

if (!customElements.get('parley-composer'))
  customElements.define('parley-composer', ParleyComposer);

/** A composer given `files` (`null`: none yet, as while the files API loads). */
async function composer(given: FakeFiles | null = new FakeFiles()) {
  const files = given ?? undefined;
  const el = await fixture<ParleyComposer>(
    html`<parley-composer room="lobby" .files=${files}></parley-composer>`,
  );
  // What takes the picker's files and pastes comes in a chunk the composer loads at once.
  await import('../../../src/components/composer/composer-files.js');
  const root = el.shadowRoot!;
  const attach = root.querySelector<HTMLButtonElement>('button[title="Attach file"]')!;
  const picker = root.querySelector<HTMLInputElement>('input[type=file]')!;
  const note = () => root.querySelector('[part=note]')!.textContent!.trim();
  return { el, root, attach, picker, note, field: root.querySelector('textarea')! };
}

/** Puts `files` in the picker as if chosen, and tells it so. */
function choose(picker: HTMLInputElement, files: File[]): void {
  const data = new DataTransfer();
  files.forEach((f) => data.items.add(f));
  picker.files = data.files;
  picker.dispatchEvent(new Event('change'));
}

/** A paste of `files` and/or `text` into `field`; whether the browser's own paste was kept. */
function paste(field: HTMLTextAreaElement, files: File[], text?: string): boolean {
  const data = new DataTransfer();
  files.forEach((f) => data.items.add(f));
  if (text !== undefined) data.setData('text/plain', text);
  const e = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
  return field.dispatchEvent(e);
}

describe('parley-composer: files', () => {
  it('has an "Attach file" button that opens a hidden multiple-file picker', async () => {
    const { attach, picker } = await composer();
    // Its accessible name is its title, exactly (the paperclip is hidden from screen readers).
    expect(attach.textContent!.trim()).to.equal('');
    expect(attach.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
    expect(picker.hidden && picker.multiple).to.equal(true);
    let opened = 0;
    picker.addEventListener('click', (e) => {
      opened++;
      e.preventDefault(); // no real dialog in a test
    });
    attach.click();
    expect(opened).to.equal(1);
  });

  it('passes the chosen files to the files API', async () => {
    const files = new FakeFiles();
    const { picker, note } = await composer(files);
    const a = new File(['hello'], 'a.txt', { type: 'text/plain' });
    const b = new File([await png()], 'b.png', { type: 'image/png' });
    choose(picker, [a, b]);
    await waitUntil(() => files.attached.length === 1);
    expect(files.attached[0]!.map((f) => f.name)).to.deep.equal(['a.txt', 'b.png']);
    expect(picker.value, 'the picker is emptied: the same file can be chosen again').to.equal('');
    expect(note()).to.equal('');
  });

  it('shows the refusals in plain words under the field', async () => {
    const files = new FakeFiles();
    files.refusals = ['huge.iso is 3.2 GB: files up to 26.2 MB can be sent here.'];
    const { el, picker, note } = await composer(files);
    choose(picker, [new File(['x'], 'huge.iso')]);
    await waitUntil(() => note() !== '');
    await el.updateComplete;
    expect(note()).to.equal('huge.iso is 3.2 GB: files up to 26.2 MB can be sent here.');
  });

  it('attaches a pasted image file; pasted text is left to the field', async () => {
    const files = new FakeFiles();
    const { field } = await composer(files);
    const shot = new File([await png()], 'image.png', { type: 'image/png' });
    expect(paste(field, [shot]), 'the paste is taken').to.equal(false);
    await waitUntil(() => files.attached.length === 1);
    expect(files.attached[0]![0]!.name).to.equal('image.png');
    expect(paste(field, [], 'just words'), 'text pastes as text').to.equal(true);
    expect(paste(field, [shot], 'cells copied with a picture of them')).to.equal(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(files.attached).to.have.length(1);
  });

  it('waits for the files API when a file is chosen while it loads', async () => {
    const { el, picker } = await composer(null);
    choose(picker, [new File(['early'], 'early.txt')]);
    await new Promise((r) => setTimeout(r, 20));
    choose(picker, [new File(['then'], 'then.txt')]);
    await new Promise((r) => setTimeout(r, 20));
    const files = new FakeFiles();
    el.files = files;
    await waitUntil(() => files.attached.length === 2, 'both sent once it is there');
    const names = files.attached.map((list) => list[0]!.name).sort();
    expect(names).to.deep.equal(['early.txt', 'then.txt']);
  });
});

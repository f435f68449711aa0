/**
 * What "Attach file", a paste or a drop does with files, in a chunk of its own (the composer's
 * first download holds only the button and its hidden picker, and loads this right after its
 * first render): hands them to the files API — waiting for it while the chat still loads it —
 * and puts its refusals ("over the limit", "empty", "storage full") in the composer's note, in
 * words, before anything is sent.
 */
import type { FileActions } from '../../controllers/files/file-state.js';

/** What this needs of the composer. */
export interface Attaching {
  /** The files API, once the chat has it. */
  files: FileActions | undefined;
  /** The line under the field. */
  note: string;
  /** Called by the composer when it is given a files API. */
  filesCame: (() => void) | undefined;
}

/** Sends `files` through `composer`'s files API (once there); says what was refused. */
export async function attach(composer: Attaching, files: File[]): Promise<void> {
  if (files.length === 0) return;
  composer.note = '';
  while (!composer.files) {
    await new Promise<void>((r) => {
      const others = composer.filesCame; // files chosen earlier wait too
      composer.filesCame = () => {
        composer.filesCame = undefined;
        others?.();
        r();
      };
    });
  }
  const refused = await composer.files.attach(files).catch((e: Error) => [e.message]);
  composer.note = refused.join(' ');
}

/**
 * Takes `composer`'s files: those chosen in its `picker` (emptied after, so choosing the same
 * file again counts), and files pasted into its `field` — a screenshot, a copied image. A
 * paste that carries text too (an office app copies cells with a picture of them) stays the
 * field's: the text is what was meant.
 */
export function listen(composer: Attaching, field: HTMLElement, picker: HTMLInputElement): void {
  picker.addEventListener('change', () => {
    void attach(composer, [...(picker.files ?? [])]);
    picker.value = '';
  });
  field.addEventListener('paste', (e) => {
    const data = e.clipboardData;
    if (!data?.files.length || data.types.includes('text/plain')) return;
    e.preventDefault();
    void attach(composer, [...data.files]);
  });
}

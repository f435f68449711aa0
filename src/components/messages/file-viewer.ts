/**
 * The image viewer of a file row: a modal `<dialog>` showing the full image, larger. Opening it
 * fetches the file when this browser does not hold it (progress shows meanwhile), then puts the
 * checked Blob in an `<img>` through a Blob URL — only when both the manifest and the Blob are
 * of a previewable image type (PNG, JPEG, GIF, WebP): never an SVG, never markup. Escape or
 * "Close" closes it, the Blob URL is revoked and the focus goes back to the thumbnail.
 */
import { html, nothing } from 'lit';
import type { FileActions, FileState } from '../../controllers/files/file-state.js';
import { PREVIEW_TYPES, type Manifest } from '../../protocol/file-manifest.js';
import { progressWords, stateLine } from './file-words.js';

/** What the viewer is given by its row. */
export interface ViewerHost {
  /** The row, to render again when the image arrives. */
  requestUpdate(): void;
  /** The row's shadow root, holding the dialog and the thumbnail button. */
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** One row's viewer: open or not, and the full image's Blob URL once loaded. */
export class FileViewer {
  /** The dialog is open. */
  open = false;
  /** The full image's Blob URL, while open. */
  private url: string | undefined;
  /** The fetch was asked for since the dialog opened (once per opening). */
  private asked = false;
  /** The Blob is being read. */
  private reading = false;
  /** Why the image cannot be shown (not an image after all). */
  private problem = '';

  constructor(private readonly host: ViewerHost) {}

  private get dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector('dialog');
  }

  /** Opens the viewer (a click on the thumbnail) and starts getting the image. */
  show(files: FileActions, m: Manifest, message: string): void {
    this.open = true;
    this.host.requestUpdate();
    this.sync(files, m, message);
  }

  /**
   * Moves the viewer on after a render: opens the dialog, asks for the file if it is not here,
   * reads it once it is. Called after every render of the row while open.
   */
  sync(files: FileActions | undefined, m: Manifest, message: string): void {
    const dialog = this.dialog;
    if (!this.open || !files) return;
    if (dialog && !dialog.open) dialog.showModal();
    if (this.url || this.reading || this.problem) return;
    const state = files.stateOf(m);
    if (state.phase === 'held') {
      this.reading = true;
      void files.blob(m).then((blob) => {
        this.reading = false;
        if (!this.open) return;
        // The manifest says what may be decoded; the Blob must agree (a safe-typed copy).
        if (blob && PREVIEW_TYPES.has(m.type) && PREVIEW_TYPES.has(blob.type))
          this.url = URL.createObjectURL(blob);
        else this.problem = "This image can't be shown here.";
        this.host.requestUpdate();
      });
    } else if (!this.asked && state.phase !== 'fetching' && state.phase !== 'waiting') {
      this.asked = true;
      files.fetch(m, message);
    }
  }

  /** The dialog closed (Escape, Close): lets the image go, focus back on the thumbnail. */
  private closed(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = undefined;
    this.open = false;
    this.asked = false;
    this.problem = '';
    this.host.requestUpdate();
    this.host.renderRoot.querySelector<HTMLElement>('.thumb')?.focus();
  }

  /** Closes the viewer (also when the row leaves the page). */
  close(): void {
    const dialog = this.dialog;
    if (dialog?.open) dialog.close();
    else if (this.open || this.url) this.closed();
  }

  /** The dialog: the image, or where getting it stands; the name, Download and Close. */
  render(name: string, state: FileState, files: FileActions | undefined, m: Manifest) {
    if (!this.open) return nothing;
    const moving = state.phase === 'fetching';
    const body = this.url
      ? html`<img src=${this.url} alt=${name} />`
      : html`<p
          class="line"
          role="status"
          .textContent=${this.problem || (moving ? progressWords(state) : stateLine(state, true, false) || 'Loading…')}
        ></p>`;
    // Escape belongs to the dialog: the chat around must not also fold a panel or close.
    return html`<dialog
      aria-label=${name}
      @close=${() => this.closed()}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && e.stopPropagation()}
    >
      <div class="view">${body}</div>
      <div class="bar">
        <span class="name">${name}</span>
        <button ?hidden=${!this.url} @click=${() => void files?.download(m)}>Download</button>
        <button class="primary" @click=${() => this.dialog?.close()}>Close</button>
      </div>
    </dialog>`;
  }
}

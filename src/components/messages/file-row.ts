/**
 * `<parley-file>`: a file in the conversation — its name (sanitised), size and type; for an
 * image of a previewable type (PNG, JPEG, GIF, WebP) the thumbnail that came with the message,
 * which opens the full image in a viewer (file-viewer.ts); for any other file a "Download"
 * button. While the file moves, a progress bar with the percentage and the speed, and Cancel;
 * a file held here can be removed from this browser (the message stays and can fetch it
 * again). Its state is asked of the files API (`stateOf`) at every render; it renders again
 * whenever the chat does (the files controller asks for that on progress; see file-live.ts).
 *
 * Safety: nothing of the file is ever markup. Only a previewable type is put in an `<img>`,
 * and only through a Blob URL the files API made of a safe-typed Blob; an SVG, an HTML page or
 * anything else is offered as a download, never shown.
 *
 * Loaded in a chunk of its own the first time a file message is shown (see message-rows.ts).
 */
import { html, LitElement, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FileActions, FileState } from '../../controllers/files/file-state.js';
import type { ChatMessage } from '../../controllers/room/message-list.js';
import { PREVIEW_TYPES, safeFileName, type Manifest } from '../../protocol/file-manifest.js';
import { base } from '../shared/theme.styles.js';
import { fileStyles } from './file-row.styles.js';
import { liveRows } from './file-live.js';
import { FileViewer } from './file-viewer.js';
import { progressWords, readableSize, stateLine } from './file-words.js';

/** The largest thumbnail box, in CSS pixels: the preview keeps the image's proportions in it. */
const BOX = { w: 256, h: 200 };

/** A document outline, for files that are not previewed. */
const DOC_ICON = svg`<path d="M6 2h9l5 5v15H6z M15 2v5h5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>`;

/**
 * The preview box of an image of `w`×`h` pixels: scaled down to fit {@link BOX}, never up;
 * whole pixels, at least 1.
 */
export function previewBox(w: number, h: number): { w: number; h: number } {
  const scale = Math.min(1, BOX.w / w, BOX.h / h);
  return { w: Math.max(1, Math.round(w * scale)), h: Math.max(1, Math.round(h * scale)) };
}

/**
 * @summary A file or an image in the conversation.
 * @csspart file - The whole card.
 */
export class ParleyFile extends LitElement {
  static override styles = [base, fileStyles];

  /** The file message (its `file` is the manifest, its `text` the caption shown by the row). */
  @property({ attribute: false }) message: ChatMessage | undefined;
  /** The files API; undefined while it loads (the row shows the file, its buttons wait). */
  @property({ attribute: false }) files: FileActions | undefined;

  /** "Remove from this browser" was pressed: the row says the file can be fetched again. */
  @state() private removed = false;
  /** Download was pressed before the file was here: saved once it is. */
  private saveWhenHeld = false;
  private readonly viewer = new FileViewer(this);

  override connectedCallback(): void {
    super.connectedCallback();
    liveRows.add(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveRows.delete(this);
    this.viewer.close();
  }

  /** The file's state here; "missing" while the files API loads. */
  private stateOf(m: Manifest): FileState {
    return this.files?.stateOf(m) ?? { id: m.list, phase: 'missing', done: 0, size: m.size };
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const m = this.message?.file;
    if (!m || !this.message) return;
    this.viewer.sync(this.files, m, this.message.id);
    if (this.saveWhenHeld && this.files && this.stateOf(m).phase === 'held') {
      this.saveWhenHeld = false;
      void this.files.download(m);
    }
  }

  /** Download: saves a held file, else fetches it (or resumes) and saves it once here. */
  private download(m: Manifest): void {
    const files = this.files;
    if (!files || !this.message) return;
    this.removed = false;
    if (this.stateOf(m).phase === 'held') return void files.download(m);
    this.saveWhenHeld = true;
    files.fetch(m, this.message.id);
    this.requestUpdate();
  }

  private async removeHere(m: Manifest): Promise<void> {
    await this.files?.remove(m);
    this.removed = true;
  }

  /** The thumbnail (or an empty box of the same shape), a button that opens the viewer. */
  private preview(m: Manifest, name: string) {
    const thumb = this.files?.thumbUrl(m);
    const box = previewBox(m.w ?? m.thumb?.w ?? 4, m.h ?? m.thumb?.h ?? 3);
    const open = () => {
      this.removed = false;
      if (this.files && this.message) this.viewer.show(this.files, m, this.message.id);
    };
    return html`<button
      class="thumb wide"
      title="Open the image"
      ?disabled=${!this.files}
      @click=${open}
    >
      ${
        thumb
          ? html`<img src=${thumb} alt=${name} width=${box.w} height=${box.h} />`
          : html`<span class="empty" style="aspect-ratio:${box.w}/${box.h}">${name}</span>`
      }
    </button>`;
  }

  override render() {
    const m = this.message?.file;
    if (!m) return nothing;
    const name = safeFileName(m.name);
    const image = PREVIEW_TYPES.has(m.type);
    const state = this.stateOf(m);
    const { phase } = state;
    const moving = phase === 'fetching' || phase === 'sending';
    const off = !this.files;
    const line = stateLine(state, image, this.removed);
    return html`<div class="file ${image ? 'image' : ''}" part="file">
        ${
          image
            ? this.preview(m, name)
            : html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">${DOC_ICON}</svg>`
        }
        <div class="about">
          <span class="name" id="name">${name}</span>
          <span class="facts">${readableSize(m.size)} · ${m.type}</span>
        </div>
        ${
          moving
            ? html`<div class="moving wide">
                <progress
                  max="100"
                  value=${Math.floor((state.done / Math.max(1, state.size)) * 100)}
                  aria-label="${phase === 'sending' ? 'Sending' : 'Receiving'} ${name}"
                ></progress>
                <span
                  class="rate"
                  .textContent=${`${phase === 'sending' ? 'Sending' : 'Receiving'} ${progressWords(state)}`}
                ></span>
              </div>`
            : line
              ? html`<p
                  class="line wide ${phase === 'failed' ? 'failed' : ''}"
                  .textContent=${line}
                ></p>`
              : nothing
        }
        <div class="actions wide">${this.actions(m, state, image, off)}</div>
      </div>
      ${this.viewer.render(name, state, this.files, m)}`;
  }

  /** Download (not for images: they open), Cancel while moving or waiting, Remove when held. */
  private actions(m: Manifest, state: FileState, image: boolean, off: boolean) {
    const { phase } = state;
    const moving = phase === 'fetching' || phase === 'sending' || phase === 'waiting';
    const download =
      !image && !moving && (!this.saveWhenHeld || phase === 'held')
        ? html`<button aria-describedby="name" ?disabled=${off} @click=${() => this.download(m)}>
            Download
          </button>`
        : nothing;
    const cancel = moving
      ? html`<button
          @click=${() => {
            this.saveWhenHeld = false;
            this.files?.cancel(m);
          }}
        >
          Cancel
        </button>`
      : nothing;
    // Our own file being served stays ours: removing it is for a file at rest.
    const remove =
      phase === 'held'
        ? html`<button @click=${() => void this.removeHere(m)}>Remove from this browser</button>`
        : nothing;
    return html`${download}${cancel}${remove}`;
  }
}

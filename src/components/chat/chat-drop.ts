/**
 * The drop target of `<parley-chat>`: while files are dragged over the chat, a clear frame over
 * it says "Drop files to send them to #room"; dropping hands them to the composer (which sends
 * them, or says under the field why not). Dragged text, or the drag leaving the chat, shows
 * nothing. It comes with the chat's files chunk (chat-files.ts), right after the chat first
 * renders, and listens on the chat element only: the page around keeps its own drag and drop,
 * and nothing of the page is restyled. Files are let in only where a message could be written
 * (the composer is on screen and enabled: someone is signed in, the launcher's panel is open).
 */
import { html, render, type LitElement } from 'lit';
import { attach } from '../composer/composer-files.js';
import type { ParleyComposer } from '../composer/parley-composer.js';

/** The drag events the chat listens to. */
const DRAGS = ['dragenter', 'dragover', 'dragleave', 'drop'] as const;

/** The drop target of one chat. */
export class ChatDrop {
  /**
   * Drag enters minus drag leaves seen on the chat: the pointer moving from one of its parts
   * to another enters the next before it leaves the last, so the frame goes only at zero.
   */
  private depth = 0;
  /** The frame, made the first time it shows (its own sheet comes with it). */
  private frame: HTMLElement | undefined;

  /** Listens to drags over `chat`. */
  constructor(private readonly chat: LitElement) {
    for (const type of DRAGS) chat.addEventListener(type, (e) => this.drag(e as DragEvent));
  }

  /** Whether the frame is shown. */
  get shown(): boolean {
    return this.frame?.isConnected === true;
  }

  private get composer(): ParleyComposer | null {
    return this.chat.renderRoot.querySelector('parley-composer');
  }

  /** One drag event: files (never text) over a chat that can send them are let in. */
  private drag(e: DragEvent): void {
    const data = e.dataTransfer;
    const composer = this.composer;
    // No composer on screen (signed out, the launcher's panel closed): not ours to take.
    const writable = composer && !composer.disabled && composer.getClientRects().length > 0;
    if (!data?.types.includes('Files') || !writable) return;
    e.preventDefault(); // lets the drop happen here (the browser would open the file)
    if (e.type === 'dragenter') this.depth++;
    else if (e.type === 'dragleave') this.depth = Math.max(0, this.depth - 1);
    else if (e.type === 'drop') {
      this.depth = 0;
      // Read now: a drop's list is emptied once the event is over.
      void attach(composer, [...data.files]);
    }
    if (e.type !== 'dragover') this.show(this.depth > 0);
  }

  /** The room's title as the chat's header shows it. */
  private get title(): string {
    const header = this.chat.renderRoot.querySelector('[part~="room-title"]');
    return header?.textContent?.trim().replace(/^#+/, '') ?? '';
  }

  /**
   * Shows or hides the frame: an element of its own at the end of the chat's layout (the
   * chat's template never names it, so its renders leave it be).
   */
  private show(on: boolean): void {
    if (!on) return void this.frame?.remove();
    const layout = this.chat.renderRoot.querySelector('.frame');
    if (!layout) return;
    this.frame ??= document.createElement('div');
    // The pointer goes through it: the chat's parts below keep receiving the drag.
    render(
      html`<style>
          .frame {
            position: relative;
          }
          .drop {
            position: absolute;
            inset: 0.5rem;
            z-index: 5;
            display: grid;
            place-items: center;
            padding: 1rem;
            pointer-events: none;
            border: 3px dashed var(--_accent);
            border-radius: var(--_radius);
            background: color-mix(in srgb, var(--_bg) 88%, transparent);
            color: var(--_fg);
            font-size: 1.15rem;
            font-weight: 650;
            text-align: center;
          }
        </style>
        <p>Drop files to send them to #${this.title}</p>`,
      this.frame,
    );
    this.frame.className = 'drop';
    this.frame.setAttribute('part', 'drop');
    if (this.frame.parentElement !== layout) layout.append(this.frame);
  }
}

/**
 * A message's text in its `<p>`: plain text (most lines, and every line that only says what a
 * message is, like "message deleted") is set as the paragraph's one text node, as before
 * formatting existed; a text with links or Markdown is rendered from format/render-text.ts's
 * tokens into the paragraph. So a plain row costs no extra node (the list's DOM budget counts
 * every node, markers included) and only formatted rows carry Lit's markers.
 */
import { noChange, render } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { isPlain } from './format/parse-text.js';
import { renderText } from './format/render-text.js';

/** Where `render` keeps its part on a container (Lit's own, stable name). */
type Container = HTMLElement & { _$litPart$?: unknown };

class MessageText extends Directive {
  private last: string | undefined;
  private formatted = false;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('messageText goes on an element');
  }

  render(_text: string, _plain?: boolean): unknown {
    return noChange;
  }

  override update(part: ElementPart, [text, plain]: [string, boolean?]): unknown {
    const key = `${plain ? 'p' : 'f'}${text}`;
    if (key === this.last) return noChange;
    this.last = key;
    const p = part.element as Container;
    if (plain || isPlain(text)) {
      // Lit's part on the paragraph goes with the nodes it marked.
      if (this.formatted) delete p._$litPart$;
      this.formatted = false;
      p.textContent = text;
    } else {
      if (!this.formatted) p.textContent = '';
      this.formatted = true;
      render(renderText(text), p);
    }
    return noChange;
  }
}

/**
 * Puts `text` in the element: as text, or formatted (links, emphasis, code, quotes) when it
 * has any; with `plain`, always as text.
 */
export const messageText = directive(MessageText);

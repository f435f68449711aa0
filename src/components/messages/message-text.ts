/**
 * A message's text in its `<p>`: plain text (most lines, and every line that only says what a
 * message is, like "message deleted") is set as the paragraph's one text node, as before
 * formatting existed; a text with links or Markdown gets the nodes format/render-text.ts
 * builds from its tokens. Either way no Lit marker goes in the paragraph: the list's DOM
 * budget counts every node.
 */
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { isPlain } from './format/parse-text.js';
import { formatText } from './format/render-text.js';

class MessageText extends Directive {
  private last: string | undefined;

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
    if (plain || isPlain(text)) part.element.textContent = text;
    else part.element.replaceChildren(formatText(text));
    return noChange;
  }
}

/**
 * Puts `text` in the element: as text, or formatted (links, emphasis, code, quotes) when it
 * has any; with `plain`, always as text.
 */
export const messageText = directive(MessageText);

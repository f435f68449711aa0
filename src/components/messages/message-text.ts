/**
 * A message's text in its `<p>`: plain text (most lines, and every line that only says what a
 * message is, like "message deleted") is set as the paragraph's one text node, as before
 * formatting existed; a text with links or Markdown gets the nodes format/render-text.ts
 * builds from its tokens (a chunk of its own: most rooms' first rows never need it). Either way no Lit marker goes in the paragraph: the list's DOM
 * budget counts every node.
 */
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { isPlain } from './format/plain.js';

type Formatter = typeof import('./format/render-text.js');

/** The formatter (linkify-it and the Markdown subset): a chunk loaded when a text first needs it. */
let formatter: Formatter | undefined;
let loading: Promise<Formatter> | undefined;
const loadFormatter = () =>
  (loading ??= import('./format/render-text.js').then((m) => (formatter = m)));

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
    const { element } = part;
    if (plain || isPlain(text)) element.textContent = text;
    else if (formatter) element.replaceChildren(formatter.formatText(text));
    else {
      // Shown as typed for the moment the formatter takes to arrive, then formatted in place
      // unless the row says something else by then.
      element.textContent = text;
      void loadFormatter().then(({ formatText }) => {
        if (this.last === key) element.replaceChildren(formatText(text));
      });
    }
    return noChange;
  }
}

/**
 * Puts `text` in the element: as text, or formatted (links, emphasis, code, quotes) when it
 * has any; with `plain`, always as text.
 */
export const messageText = directive(MessageText);

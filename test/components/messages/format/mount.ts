/**
 * Renders `renderText` output the way the message list shows it: in a shadow root with the
 * format styles, inside a paragraph with the list's text rules (pre-wrap, wrap anywhere).
 */
import { css, render } from 'lit';
import { formatStyles } from '../../../../src/components/messages/format/format.styles.js';
import { renderText } from '../../../../src/components/messages/format/render-text.js';

const textStyles = css`
  .text {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
`;

/** The elements formatted text may contain, and the attributes they may carry. */
export const ALLOWED_TAGS = new Set([
  'A',
  'EM',
  'STRONG',
  'CODE',
  'PRE',
  'BLOCKQUOTE',
  'BUTTON',
  'SPAN',
  'BR',
]);
export const ALLOWED_ATTRIBUTES = new Set(['class', 'href', 'target', 'rel', 'type']);
export const REL = 'noopener noreferrer nofollow';

/** A `width`-px wide host in the page; its paragraph holds `text`, rendered. */
export function mount(text: string, width = 400): { host: HTMLElement; p: HTMLElement } {
  const host = document.body.appendChild(document.createElement('div'));
  host.style.width = `${width}px`;
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [textStyles.styleSheet!, formatStyles.styleSheet!];
  const p = root.appendChild(document.createElement('p'));
  p.className = 'text';
  render(renderText(text), p);
  return { host, p };
}

/** Every element under `root`. */
export const elementsOf = (root: Element) => [...root.querySelectorAll('*')];

/**
 * A fenced code block as the list shows it: the language word (when given) and a "Copy code"
 * button over the code, which keeps its lines (monospace, scrolled sideways, never wrapped).
 */

/** How long the button says "Copied" (or that copying failed) before it reads as before. */
export const COPIED_MS = 1500;
const LABEL = 'Copy code';

/** The timer that will turn each button's word back, so a second click restarts it. */
const timers = new WeakMap<HTMLButtonElement, ReturnType<typeof setTimeout>>();

/** Shows `word` on the button for {@link COPIED_MS}; its accessible name follows its text. */
function say(button: HTMLButtonElement, word: string): void {
  clearTimeout(timers.get(button));
  button.textContent = word;
  timers.set(
    button,
    setTimeout(() => (button.textContent = LABEL), COPIED_MS),
  );
}

/** The click handler of one block's button: copies exactly `code`. */
function copier(code: string) {
  return async (event: Event) => {
    const button = event.currentTarget as HTMLButtonElement;
    try {
      await navigator.clipboard.writeText(code);
      say(button, 'Copied');
    } catch {
      // No clipboard access (denied, or the page is not focused): say so, never pretend.
      say(button, 'Copy failed');
    }
  };
}

/** A new element of `tag` with class `name` and, when given, `text` as its only child. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  name: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (name) el.className = name;
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * One fenced code block, new nodes each call. Its elements are spans and `pre` only: the
 * block sits inside the row's text paragraph, where a `div` would not belong.
 */
export function codeBlock(code: string, lang: string): HTMLElement {
  const head = element('span', 'fmt-fence-head');
  if (lang) head.append(element('span', 'fmt-lang', lang));
  const button = head.appendChild(element('button', 'fmt-copy', LABEL));
  button.type = 'button';
  button.addEventListener('click', copier(code));
  const pre = element('pre', 'fmt-pre');
  pre.append(element('code', '', code));
  const box = element('span', 'fmt-fence');
  box.append(head, pre);
  return box;
}

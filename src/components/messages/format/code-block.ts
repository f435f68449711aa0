/**
 * A fenced code block as the list shows it: the language word (when given) and a "Copy code"
 * button over the code, which keeps its lines (monospace, scrolled sideways, never wrapped).
 */
import { html, nothing, type TemplateResult } from 'lit';

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

/**
 * One fenced code block. Elements are spans and `pre` only (the block sits inside the row's
 * text paragraph); the button's text is static in the template, so re-renders never reset
 * a "Copied" that is showing.
 */
export function codeBlock(code: string, lang: string): TemplateResult {
  const label = lang ? html`<span class="fmt-lang">${lang}</span>` : nothing;
  // prettier-ignore
  return html`<span class="fmt-fence"><span class="fmt-fence-head">${label}<button type="button" class="fmt-copy" @click=${copier(code)}>${LABEL}</button></span><pre class="fmt-pre"><code>${code}</code></pre></span>`;
}

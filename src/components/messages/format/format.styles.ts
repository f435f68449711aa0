import { css } from 'lit';

/**
 * Styles of formatted message text (render-text.ts), for the shadow root that shows it
 * (`parley-messages` includes them). Every rule is on a `fmt-` class or inside one, so the
 * list's own styles and these never meet. Why some rules are there:
 * - `.fmt-link`, `.fmt-code`: long URLs and long code words wrap anywhere, like the text
 *   around them: a message never widens the list.
 * - `.fmt-pre`: a code block keeps its lines and scrolls sideways inside its own box
 *   (`max-width`, `min-width: 0`), the only thing in a row that may scroll.
 * - `.fmt-fence-head`: the language word and "Copy code" in one quiet bar over the code.
 * - Tints are translucent grey, not `color-mix()`: it reads on our bubbles and theirs, light
 *   or dark, and `color-mix()` here doubled the time to paint a page of formatted rows.
 */
export const formatStyles = css`
  .fmt-link {
    color: var(--_accent, LinkText);
    overflow-wrap: anywhere;
  }
  .fmt-code,
  .fmt-pre {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.9em;
  }
  .fmt-code {
    padding: 0 0.2em;
    border-radius: 3px;
    background: rgb(127 127 127 / 0.15);
    overflow-wrap: anywhere;
  }
  .fmt-quote {
    margin: 0.15rem 0;
    padding: 0 0 0 0.6rem;
    border-left: 3px solid var(--_field-border, rgb(127 127 127 / 0.6));
    color: var(--_muted, inherit);
  }
  .fmt-fence {
    display: block;
    max-width: 100%;
    min-width: 0;
    margin: 0.25rem 0;
    border: 1px solid var(--_line, rgb(127 127 127 / 0.35));
    border-radius: var(--_control-radius, 6px);
    overflow: hidden;
  }
  .fmt-fence-head {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.1rem 0.25rem 0.1rem 0.5rem;
    font-size: 0.75rem;
    color: var(--_muted, inherit);
    background: rgb(127 127 127 / 0.08);
  }
  .fmt-lang {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .fmt-copy {
    margin-left: auto;
    font: inherit;
    padding: 0.1rem 0.5rem;
  }
  .fmt-pre {
    margin: 0;
    padding: 0.4rem 0.5rem;
    overflow-x: auto;
    white-space: pre;
    overflow-wrap: normal;
  }
`;

import { css } from 'lit';

/** Styles of `parley-composer`. */
export const composerStyles = css`
  :host {
    display: block;
    background: var(--_bg);
  }
  form {
    display: flex;
    gap: 0.6rem;
    align-items: flex-end;
  }
  textarea {
    flex: 1;
    resize: none;
    min-height: 2.6rem;
    max-height: 10rem;
    line-height: 1.4;
    field-sizing: content;
  }
  svg {
    display: block;
  }
  .meta {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    font-size: 0.78rem;
    color: var(--_muted);
    min-height: 1.1rem;
    padding: 0.25rem 0.2rem 0;
  }
  .over {
    color: var(--_danger);
    font-weight: 600;
  }
  /* Touch keyboards have no Shift+Enter to speak of: no key hint there, and bigger targets. */
  @media (pointer: coarse) {
    .keys {
      display: none;
    }
    button {
      min-height: 44px;
      min-width: 44px;
    }
    textarea {
      min-height: 44px;
    }
  }
  textarea {
    min-width: 0;
  }
`;

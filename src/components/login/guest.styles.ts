import { css } from 'lit';

/** What the guest's elements share: the "You appear as" line, its link-like button, fields. */
export const guestStyles = css`
  form {
    display: grid;
    gap: 0.5rem;
  }
  p {
    margin: 0;
  }
  .who,
  .hint {
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .who strong {
    color: var(--_fg);
    font-weight: 600;
  }
  button.link {
    border: none;
    background: none;
    padding: 0 0.1rem;
    min-height: 0;
    font: inherit;
    color: var(--_accent);
    text-decoration: underline;
    cursor: pointer;
  }
  .fields {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 0.75rem;
  }
  label {
    display: grid;
    gap: 0.2rem;
    flex: 1 1 12rem;
    font-size: 0.85rem;
    font-weight: 600;
  }
  .optional {
    font-weight: 400;
    color: var(--_muted);
  }
  input {
    min-width: 0;
  }
  input[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .error {
    color: var(--_danger);
    font-size: 0.85rem;
  }
  .done {
    color: var(--_ok);
    font-size: 0.85rem;
  }
  @media (pointer: coarse) {
    button,
    input {
      min-height: 44px;
    }
  }
`;

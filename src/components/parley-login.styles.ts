import { css } from 'lit';

/** Styles of `parley-login`. */
export const loginStyles = css`
  dialog {
    width: min(24rem, calc(100vw - 2rem));
  }
  form {
    display: grid;
    gap: 0.9rem;
    padding: calc(var(--_space) * 1.6) calc(var(--_space) * 1.6) calc(var(--_space) * 1.4);
  }
  p.lead {
    margin: -0.4rem 0 0.2rem;
    color: var(--_muted);
    font-size: 0.92rem;
  }
  label {
    display: grid;
    gap: 0.3rem;
    font-size: 0.9rem;
    font-weight: 600;
  }
  .error {
    color: var(--_danger);
    background: color-mix(in srgb, var(--_danger) 8%, transparent);
    border-radius: 8px;
    padding: 0.5rem 0.7rem;
    font-size: 0.9rem;
    margin: 0;
  }
  .actions {
    display: flex;
    flex-direction: row-reverse;
    gap: 0.6rem;
    justify-content: flex-end;
    margin-top: 0.3rem;
  }
  .hint {
    font-size: 0.8rem;
    color: var(--_muted);
    margin: 0;
  }
`;

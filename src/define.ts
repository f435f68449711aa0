/**
 * Registers every Parley element. Import this once (the app page does); libraries that want
 * their own tag names can import the classes from `index.ts` and register them instead.
 */
import { ParleyChat } from './components/parley-chat.js';
import { ParleyComposer } from './components/parley-composer.js';
import { ParleyLogin } from './components/parley-login.js';
import { ParleyMessages } from './components/parley-messages.js';
import { ParleyRoster } from './components/parley-roster.js';
import { ParleySettings } from './components/parley-settings.js';

const elements = {
  'parley-chat': ParleyChat,
  'parley-composer': ParleyComposer,
  'parley-login': ParleyLogin,
  'parley-messages': ParleyMessages,
  'parley-roster': ParleyRoster,
  'parley-settings': ParleySettings,
} as const;

for (const [tag, ctor] of Object.entries(elements)) {
  // Defining twice throws; a page that loads Parley twice keeps the first definition.
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-chat': ParleyChat;
    'parley-composer': ParleyComposer;
    'parley-login': ParleyLogin;
    'parley-messages': ParleyMessages;
    'parley-roster': ParleyRoster;
    'parley-settings': ParleySettings;
  }
}

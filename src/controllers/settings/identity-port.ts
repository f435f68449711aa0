/**
 * "Export identity" / "Import identity" (Settings → You): carrying an account's identity — its
 * signing key and key-agreement key — to another browser or origin in a file sealed with a
 * passphrase the person chooses (`protocol/identity-file.ts`), so an agent has the same safety
 * code, and the room keys sealed to them open, wherever they work.
 *
 * Export opens the identity's sealed copy (`store/identity-escrow.ts`) with the account's password
 * (or, for an identity imported here, the passphrase of its file), seals the keys again under
 * the new passphrase and downloads `parley-identity-<name>.json`. Import reads a file's header
 * (whose identity, its safety code) before asking anything, then opens it with its passphrase
 * and replaces this account's identity and key-agreement keys, and has the session take the
 * account up afresh, so the chat speaks as the imported identity at once. Nothing is changed
 * until the file has opened and its keys are checked.
 */
import type { ReactiveControllerHost } from 'lit';
import {
  IdentityFileError,
  MAX_FILE_PASSPHRASE,
  MAX_IDENTITY_FILE_BYTES,
  MIN_FILE_PASSPHRASE,
  openIdentityFile,
  readIdentityFile,
  writeIdentityFile,
  type IdentityFile,
} from '../../protocol/identity-file.js';
import { safetyCode } from '../../protocol/identity.js';
import { wipeSecrets } from '../../protocol/portable-keys.js';
import { exportStateOf, identityFor, type ExportState } from '../../store/identities.js';
import { agreementKeysFor } from '../../store/agreement-keys.js';
import { agentCard } from '../../protocol/desk.js';
import { openForExport, replaceIdentity } from '../../store/identity-escrow.js';
import type { SessionController } from '../session/session-controller.js';

export { MIN_FILE_PASSPHRASE };

/** What the controller needs of the session. */
export type PortSession = Pick<SessionController, 'db' | 'profile' | 'renew'>;

/** A file chosen for import, read but not opened. */
export interface ImportChoice {
  /** Its header: name, public keys, safety code. */
  file: IdentityFile;
  /** Whether it is the identity this account has already. */
  same: boolean;
}

/** How strong a passphrase looks: a rough guide, not a promise. */
export type Strength = 'too short' | 'weak' | 'fair' | 'strong';

/**
 * A rough strength of `passphrase`: length, and how many kinds of character it mixes. Words
 * separated by spaces count as the strongest kind of length.
 */
export function passphraseStrength(passphrase: string): Strength {
  const n = [...passphrase].length;
  if (n < MIN_FILE_PASSPHRASE) return 'too short';
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((r) =>
    r.test(passphrase),
  ).length;
  const words = passphrase.trim().split(/\s+/).length;
  if (n >= 20 && (words >= 4 || kinds >= 3)) return 'strong';
  if (n >= 16 || kinds >= 3) return 'fair';
  return 'weak';
}

/** The file name of an export: `parley-identity-<name>.json`, the name made safe for disks. */
export function exportFileName(name: string): string {
  const safe = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[.-]+|-+$/g, '');
  return `parley-identity-${safe || 'account'}.json`;
}

/** Owns the export and import of the logged-in account's identity. */
export class IdentityPortController {
  /** Whether this account's identity can be exported (undefined: not known yet). */
  exportable: ExportState | undefined;
  /** A sealing or opening is under way (each takes a PBKDF2 or two: about a second). */
  busy = false;
  /** Why the last step failed, in words. */
  error = '';
  /** What the last step did, in words ("Saved …", "Imported …"). */
  notice = '';
  /** The file chosen for import, once read. */
  choice: ImportChoice | undefined;
  /**
   * This identity's help-desk key (`protocol/desk.ts`'s agent card): what a site's owner lists
   * in `agents` so visitors' conversations reach this account.
   */
  agentCard: string | undefined;
  /** The account the state above is about. */
  private owner: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The session whose account's identity this is about (none: nothing to do). */
    private readonly sessionOf: () => PortSession | undefined,
    /** Saves a file (a download by default). */
    private readonly save: (name: string, text: string) => void = download,
  ) {}

  private get session(): Partial<PortSession> {
    return this.sessionOf() ?? {};
  }

  /** Looks up whether the account's identity can be exported; forgets another account's state. */
  refresh(): void {
    const owner = this.session.profile?.id;
    const db = this.session.db;
    // Nobody for a moment (the session taking the account up afresh after an import): what
    // was said stays for when the account is back.
    if (!owner || !db) return;
    if (owner !== this.owner) this.reset(owner);
    void db
      .then((d) => exportStateOf(d, owner))
      .then(
        (state) => this.owner === owner && this.set({ exportable: state }),
        () => this.owner === owner && this.set({ exportable: 'none' }),
      );
    void db
      .then(async (d) => {
        const [identity, kx] = await Promise.all([
          identityFor(d, owner),
          agreementKeysFor(d, owner),
        ]);
        return agentCard(identity.publicKey, kx.publicKey);
      })
      .then(
        (card) => this.owner === owner && this.set({ agentCard: card }),
        () => {}, // no key to show: the storage's failure is said by the export's state
      );
  }

  /** Copies the help-desk key to the clipboard and says so (or says to copy it by hand). */
  async copyAgentCard(): Promise<void> {
    const card = this.agentCard;
    if (!card) return;
    try {
      await navigator.clipboard.writeText(card);
      this.set({ notice: 'Help-desk key copied. Give it to the site owner.', error: '' });
    } catch {
      this.set({ error: 'Could not copy: select the key and copy it yourself.', notice: '' });
    }
  }

  /** Forgets what was chosen and said (the panel closed or opened again). */
  forget(): void {
    if (this.busy) return; // what is under way says how it went
    this.set({ error: '', notice: '', choice: undefined });
  }

  /**
   * Seals the identity under `passphrase` (typed twice) and saves the file. `secret` opens its
   * sealed copy here: the account's password, or the passphrase of the file it came from.
   */
  async exportIdentity(secret: string, passphrase: string, again: string): Promise<boolean> {
    const why = passphraseProblem(passphrase, again);
    if (why) return this.fail(why);
    const { profile, db } = this.session;
    if (!profile || !db || this.busy) return false;
    if (!secret) return this.fail(this.secretLabel() + ' is needed to unlock your identity.');
    this.set({ busy: true, error: '', notice: '' });
    try {
      const d = await db;
      const { identity, agreementKey, secrets } = await openForExport(d, profile.id, secret);
      let text: string;
      try {
        const keys = { publicKey: identity.publicKey, agreementKey };
        text = await writeIdentityFile(profile.name, keys, secrets, passphrase);
      } finally {
        wipeSecrets(secrets);
      }
      const name = exportFileName(profile.name);
      this.save(name, text);
      this.set({ busy: false, notice: `Saved ${name}. Keep it, and its passphrase, apart.` });
      return true;
    } catch (err) {
      const wrong = err instanceof IdentityFileError && err.reason === 'wrong-passphrase';
      return this.fail(
        wrong
          ? `That is not ${this.exportable === 'file' ? "the imported file's passphrase" : 'your password'}.`
          : messageOf(err),
      );
    }
  }

  /** What opens the identity's copy here, as the export form labels its field. */
  secretLabel(): string {
    return this.exportable === 'file' ? "The imported file's passphrase" : 'Your password';
  }

  /** Reads a chosen file's header: whose identity it is, before anything is asked. */
  async chooseFile(file: File): Promise<void> {
    this.set({ choice: undefined, error: '', notice: '' });
    if (file.size > MAX_IDENTITY_FILE_BYTES) {
      this.fail('This file is too large to be an identity file.');
      return;
    }
    try {
      const header = await readIdentityFile(await file.text());
      const own = this.session.profile?.identity?.publicKey;
      this.set({ choice: { file: header, same: own === header.publicKey } });
    } catch (err) {
      this.fail(messageOf(err));
    }
  }

  /**
   * Opens the chosen file with `passphrase` and replaces this account's identity and
   * key-agreement keys with its own; the session then takes the account up afresh.
   */
  async importIdentity(passphrase: string): Promise<boolean> {
    const { profile, db } = this.session;
    const choice = this.choice;
    if (!profile || !db || !choice || this.busy) return false;
    if (!passphrase) return this.fail("Type the file's passphrase.");
    this.set({ busy: true, error: '', notice: '' });
    // As the seal reads it, so that exporting from here takes the same passphrase.
    const pass = passphrase.slice(0, MAX_FILE_PASSPHRASE);
    try {
      const { secrets, ...keys } = await openIdentityFile(choice.file, pass);
      await replaceIdentity(await db, profile.id, keys, secrets, pass);
      const code = await safetyCode(keys.identity.publicKey);
      this.set({
        busy: false,
        choice: undefined,
        exportable: 'file',
        notice: `Imported: you are now the identity with safety code ${code}.`,
      });
      this.session.renew?.();
      return true;
    } catch (err) {
      return this.fail(messageOf(err));
    }
  }

  /** Puts the chosen file away. */
  cancelImport(): void {
    this.set({ choice: undefined, error: '' });
  }

  private reset(owner: string | undefined): void {
    this.owner = owner;
    this.exportable = undefined;
    this.busy = false;
    this.error = '';
    this.notice = '';
    this.choice = undefined;
    this.agentCard = undefined;
    this.host.requestUpdate();
  }

  private fail(error: string): false {
    this.set({ busy: false, error, notice: '' });
    return false;
  }

  private set(change: Partial<Pick<IdentityPortController, StateKey>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }
}

type StateKey = 'exportable' | 'busy' | 'error' | 'notice' | 'choice' | 'agentCard';

/** Why a new file passphrase cannot be used, or undefined. */
export function passphraseProblem(passphrase: string, again: string): string | undefined {
  if ([...passphrase].length < MIN_FILE_PASSPHRASE)
    return `Choose a passphrase of at least ${MIN_FILE_PASSPHRASE} characters.`;
  if (passphrase.length > MAX_FILE_PASSPHRASE)
    return `A passphrase has at most ${MAX_FILE_PASSPHRASE} characters.`;
  if (passphrase !== again) return 'The two passphrases differ.';
  return undefined;
}

function messageOf(err: unknown): string {
  if (err instanceof IdentityFileError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/** Saves `text` as a download named `name`. */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The download has its own reference by the next task; the object URL is not needed after.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A bot's connection to Parley: its identity (from a key file, or given), the server or list
 * of servers it uses (fail-over in order), and the rooms it joined — each with its own link,
 * as a browser tab has. Events of every room are also heard here, each naming its room.
 */
import type { Identity } from '../protocol/identity.js';
import { UserNameSchema, describeIssues } from '../protocol/fields.js';
import * as v from 'valibot';
import { Emitter } from '../internal/emitter.js';
import type { ClientEvents } from './events.js';
import { loadOrCreateIdentity } from './key-file.js';
import { BotRoom, type JoinOptions } from './room.js';

/** How to connect. */
export interface ConnectOptions {
  /** The display name the bot's messages carry (2–32 letters, digits, spaces, `_`, `.`, `-`). */
  name: string;
  /**
   * Path of the key file holding the bot's identity: made on first run (mode 0600), refused
   * when others can read it. Give this or `identity`.
   */
  keyFile?: string;
  /** An identity the caller holds already (tests); instead of `keyFile`. */
  identity?: Identity;
  /** How long a server may take to answer a join, in ms (default 10 s). */
  joinTimeout?: number;
  /**
   * The server's `PARLEY_KEEPER_TOKEN`, for the keeper only: the server then tells members this
   * bot is its keeper, and they show its receipts as *kept*, not *delivered*.
   */
  keeperToken?: string;
}

/** A connected bot; see the module comment. Made by {@link connect}. */
export class ParleyClient {
  private readonly events = new Emitter<ClientEvents>();
  private readonly joined = new Map<string, BotRoom>();

  /** @internal use {@link connect}. */
  constructor(
    private readonly servers: string | readonly string[],
    /** The bot's identity: `id` is what members see as its author id. */
    readonly identity: Identity,
    /** The bot's display name. */
    readonly name: string,
    private readonly joinTimeout: number | undefined,
    private readonly keeperToken?: string,
  ) {}

  /** The bot's identity id (a hash of its public key). */
  get id(): string {
    return this.identity.id;
  }

  /** The rooms joined, by name. */
  get rooms(): ReadonlyMap<string, BotRoom> {
    return this.joined;
  }

  /**
   * Joins `room` (with its passphrase or invite key, if it has one); resolves once in. A room
   * joined already is returned as it is.
   */
  async join(room: string, options: JoinOptions = {}): Promise<BotRoom> {
    const known = this.joined.get(room);
    if (known) return known;
    const r = await BotRoom.join(
      room,
      {
        identity: this.identity,
        name: this.name,
        url: this.servers,
        joinTimeout: this.joinTimeout,
        keeperToken: this.keeperToken,
      },
      options,
    );
    this.joined.set(room, r);
    r.on('message', (m) => this.events.emit('message', m));
    r.on('delivered', (d) => this.events.emit('delivered', d));
    r.on('error', (e) => this.events.emit('error', e, room));
    r.on('state', (s) => {
      if (s === 'closed') this.joined.delete(room);
      this.events.emit('state', s, room);
    });
    return r;
  }

  /** Subscribes to the events of every room; returns the function that unsubscribes. */
  on<E extends keyof ClientEvents>(ev: E, fn: ClientEvents[E]): () => void {
    return this.events.on(ev, fn);
  }

  /** Leaves every room; final. */
  close(): void {
    for (const r of [...this.joined.values()]) r.close();
    this.joined.clear();
    this.events.clear();
  }
}

/**
 * Connects a bot to the Parley server at `servers` (an origin such as
 * `http://localhost:8080`, or a list to fail over in order) as the identity in
 * `options.keyFile`, made on first run. Nothing is dialled until a room is joined.
 */
export async function connect(
  servers: string | readonly string[],
  options: ConnectOptions,
): Promise<ParleyClient> {
  const name = v.safeParse(UserNameSchema, options.name);
  if (!name.success) throw new Error(`bad bot name: ${describeIssues(name.issues)}`);
  const list = typeof servers === 'string' ? [servers] : [...servers];
  if (list.length === 0) throw new Error('connect needs a server address');
  for (const url of list) {
    if (!/^https?:\/\//.test(url)) throw new Error(`not a server address: ${url} (http(s)://…)`);
  }
  let identity = options.identity;
  if (!identity) {
    if (!options.keyFile) throw new Error('connect needs a keyFile (or an identity)');
    identity = await loadOrCreateIdentity(options.keyFile);
  }
  return new ParleyClient(list, identity, name.output, options.joinTimeout, options.keeperToken);
}

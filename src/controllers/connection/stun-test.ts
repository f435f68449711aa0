/**
 * "Test STUN/TURN": asks the browser for this device's network addresses (ICE candidates)
 * with the configured STUN and TURN servers, for at most a few seconds, and says in plain
 * words what that means for direct links. A STUN server tells a device its public address (a
 * "server-reflexive" candidate), which lets two devices on different networks find each other;
 * a TURN server passes data on when they cannot (a "relay" candidate). Only the addresses'
 * kinds are kept, never the addresses themselves.
 */

/** How long the test waits for the servers, in ms. */
export const STUN_TEST_MS = 5000;

/** What the test found. */
export interface StunVerdict {
  /** Candidates by kind: the device's own addresses, public ones found by STUN, TURN relays. */
  host: number;
  srflx: number;
  relay: number;
  /** Servers tried. */
  servers: number;
  /** Whether the browser finished gathering before the time was up. */
  complete: boolean;
  /** The result in plain words. */
  words: string;
}

/** The verdict's words for what was found; see {@link StunVerdict}. */
export function stunWords(found: Omit<StunVerdict, 'words'>, waitedMs = STUN_TEST_MS): string {
  const secs = Math.round(waitedMs / 1000);
  const fallback = 'messages still go through the server.';
  if (found.relay > 0)
    return (
      'A TURN server answered: direct links should work across networks, even behind strict ' +
      'firewalls (the TURN server then passes the data on).'
    );
  if (found.srflx > 0)
    return (
      'A STUN server answered: direct links across networks will work with most home and ' +
      'mobile networks, but not behind strict firewalls (no TURN server answered to pass ' +
      `data on); otherwise ${fallback}`
    );
  if (found.servers === 0)
    return (
      'No STUN or TURN server is set: direct links will work only between devices on the same ' +
      `network; ${fallback}`
    );
  if (found.host === 0)
    return `This browser gave no network address for direct links: they will not work; ${fallback}`;
  const when = found.complete ? '' : ` within ${secs} s`;
  return (
    `No STUN or TURN server answered${when}: direct links will work only between devices on ` +
    `the same network; ${fallback}`
  );
}

/**
 * Gathers candidates with `iceServers` through a throwaway connection with one data channel,
 * for at most `timeoutMs`; resolves with what was found (never rejects: a browser without
 * WebRTC, or servers it will not take, are a verdict too).
 */
export async function testStunTurn(
  iceServers: RTCIceServer[],
  timeoutMs = STUN_TEST_MS,
): Promise<StunVerdict> {
  const found = { host: 0, srflx: 0, relay: 0, servers: iceServers.length, complete: false };
  let pc: RTCPeerConnection;
  try {
    pc = new RTCPeerConnection({ iceServers });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      ...found,
      words: `This browser could not start a direct-link test (${why}); messages still go through the server.`,
    };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      pc.onicecandidate = (e) => {
        if (!e.candidate) {
          found.complete = true;
          return resolve();
        }
        const type = e.candidate.type;
        if (type === 'host') found.host++;
        else if (type === 'srflx' || type === 'prflx') found.srflx++;
        else if (type === 'relay') found.relay++;
      };
      pc.createDataChannel('parley-test');
      pc.createOffer()
        .then((offer) => pc.setLocalDescription(offer))
        .catch(() => resolve());
    });
  } finally {
    clearTimeout(timer);
    pc.onicecandidate = null;
    pc.close();
  }
  return { ...found, words: stunWords(found, timeoutMs) };
}

import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { SettingsController } from '../../../src/controllers/settings/settings-controller.js';
import type { ParleySettings } from '../../../src/controllers/settings/settings.js';
import { readSettings } from '../../../src/store/settings-store.js';
import { probeServer } from '../../../src/transport/index.js';
import type { ProbeResult } from '../../../src/transport/probe.js';
import { freshDb } from '../../support/db.js';
import { serverUrl } from '../../support/server-url.js';

const url = await serverUrl();
/** Port 9 (discard) has no listener here: the connection is refused at once. */
const CLOSED = 'http://127.0.0.1:9';

/** A stand-in for the element: counts the updates the controller asks for. */
class Host implements ReactiveControllerHost {
  updates = 0;
  readonly updateComplete = Promise.resolve(true);
  addController(_c: ReactiveController): void {}
  removeController(_c: ReactiveController): void {}
  requestUpdate(): void {
    this.updates++;
  }
}

/** A probe the test answers by hand; `calls` lists the URLs it was asked about. */
function handProbe() {
  const calls: string[] = [];
  const answers = new Map<string, (r: ProbeResult) => void>();
  const probe = (target: string) => {
    calls.push(target);
    return new Promise<ProbeResult>((resolve) => answers.set(target, resolve));
  };
  const answer = (target: string, r: ProbeResult) => answers.get(target)!(r);
  return { calls, probe, answer };
}

const settings = (server: string): ParleySettings => ({
  transport: 'socketio',
  server,
  iceServers: [],
  direct: 'everyone',
  historyMax: 50_000,
});

describe('SettingsController checks new servers before it saves them', function () {
  this.timeout(15000);
  const drops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(drops.splice(0).map((drop) => drop()));
  });

  /** A loaded controller on a fresh database; `applied` lists what it applied. */
  async function controller(probe?: (url: string) => Promise<ProbeResult>) {
    const { db, drop } = await freshDb();
    drops.push(drop);
    const host = new Host();
    const applied: ParleySettings[] = [];
    const prefs = new SettingsController(host, {
      session: { db: Promise.resolve(db) },
      apply: (s) => applied.push(s),
      ...(probe ? { probe } : {}),
    });
    prefs.hostConnected();
    await waitUntil(() => prefs.loaded, 'the settings did not load');
    applied.length = 0;
    return { prefs, host, db, applied };
  }

  it('probeServer: the test server answers; a closed port does not, with a reason', async () => {
    expect(await probeServer(url)).to.deep.equal({ ok: true });
    const closed = await probeServer(CLOSED);
    expect(closed.ok).to.equal(false);
    expect(closed.ok ? '' : closed.reason).to.match(/^[a-z].*[^.]$/);
  });

  it('saves a server that answers (the real check)', async () => {
    const { prefs, db, applied } = await controller();
    expect(await prefs.save(settings(url))).to.equal(true);
    expect(prefs.settings.server).to.equal(url);
    expect(prefs.serverProblem).to.equal(undefined);
    expect(prefs.checking).to.equal(false);
    expect(await readSettings(db)).to.deep.equal(settings(url));
    expect(applied).to.have.length(1);
  });

  it('refuses a server that does not answer, names it, and keeps what was saved', async () => {
    const { prefs, db, applied } = await controller();
    expect(await prefs.save(settings(url))).to.equal(true);
    const saved = await readSettings(db);
    expect(await prefs.save(settings(`${url} ${CLOSED}`))).to.equal(false);
    expect(prefs.unreachable).to.equal(true);
    expect(prefs.checking).to.equal(false);
    expect(prefs.serverProblem).to.match(/^Could not reach http:\/\/127\.0\.0\.1:9: [a-z].+\.$/);
    expect(prefs.serverProblem, 'only the one that failed').not.to.contain(`${url}:`);
    expect(prefs.problems.server).to.equal(prefs.serverProblem);
    expect(prefs.settings.server).to.equal(url);
    expect(await readSettings(db)).to.deep.equal(saved);
    expect(applied, 'nothing applied for the refused save').to.have.length(1);
    prefs.clearCheck();
    expect(prefs.serverProblem).to.equal(undefined);
    expect(prefs.unreachable).to.equal(false);
  });

  it('force saves without checking; unchanged or empty lists are not checked', async () => {
    const { calls, probe } = handProbe();
    const { prefs, db } = await controller(probe);
    expect(await prefs.save(settings(CLOSED), { force: true })).to.equal(true);
    expect(calls).to.deep.equal([]);
    expect(prefs.settings.server).to.equal(CLOSED);
    expect(await readSettings(db)).to.deep.equal(settings(CLOSED));
    expect(await prefs.save({ ...settings(CLOSED), transport: 'webrtc' })).to.equal(true);
    expect(await prefs.save(settings(''))).to.equal(true);
    expect(calls, "same servers, then the page's own").to.deep.equal([]);
  });

  it('checks every server at once and says it is checking meanwhile', async () => {
    const { calls, probe, answer } = handProbe();
    const { prefs, host } = await controller(probe);
    const updates = host.updates;
    const saving = prefs.save(settings('https://a.example https://b.example'));
    await Promise.resolve();
    expect(prefs.checking).to.equal(true);
    expect(host.updates).to.be.above(updates);
    expect(calls, 'both asked before either answered').to.deep.equal([
      'https://a.example',
      'https://b.example',
    ]);
    answer('https://b.example', { ok: false, reason: 'no answer within 4 s' });
    answer('https://a.example', { ok: false, reason: 'nothing answered at that address' });
    expect(await saving).to.equal(false);
    expect(prefs.checking).to.equal(false);
    expect(prefs.serverProblem).to.equal(
      'Could not reach https://a.example: nothing answered at that address. ' +
        'Could not reach https://b.example: no answer within 4 s.',
    );
  });

  it('a field problem is not a server problem, and is found without a check', async () => {
    const { calls, probe } = handProbe();
    const { prefs } = await controller(probe);
    expect(await prefs.save(settings('ftp://x'))).to.equal(false);
    expect(prefs.problems.server).to.be.a('string');
    expect(prefs.serverProblem).to.equal(undefined);
    expect(calls).to.deep.equal([]);
  });

  it('clearCheck abandons a check in progress: its save does not happen', async () => {
    const { probe, answer } = handProbe();
    const { prefs, applied } = await controller(probe);
    const saving = prefs.save(settings('https://a.example'));
    await Promise.resolve();
    expect(prefs.checking).to.equal(true);
    prefs.clearCheck();
    expect(prefs.checking).to.equal(false);
    answer('https://a.example', { ok: true });
    expect(await saving).to.equal(false);
    expect(prefs.settings.server).to.equal('');
    expect(applied).to.deep.equal([]);
  });

  it('a save with force overtakes a check in progress', async () => {
    const { probe, answer } = handProbe();
    const { prefs } = await controller(probe);
    const first = prefs.save(settings('https://a.example'));
    await Promise.resolve();
    expect(await prefs.save(settings('https://b.example'), { force: true })).to.equal(true);
    expect(prefs.checking).to.equal(false);
    answer('https://a.example', { ok: false, reason: 'no answer within 4 s' });
    expect(await first).to.equal(false);
    expect(prefs.serverProblem, 'the overtaken check reports nothing').to.equal(undefined);
    expect(prefs.settings.server).to.equal('https://b.example');
  });
});

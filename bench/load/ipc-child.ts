/**
 * A benchmark's helper process driven over Node's IPC channel, one command and one reply at a
 * time: forked with tsx, tracked in the run's {@link Processes} registry, stopped by its PID.
 */
import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../../test/support/processes.js';
import type { Processes } from './processes.js';

/** Every reply may be a failure, after which the child exits. */
interface Failure {
  type: 'failed';
  error: string;
}

/** A forked child taking commands `C` and answering with replies `R`. */
export class IpcChild<C extends { type: string }, R extends { type: string }> {
  readonly pid: number;
  private readonly child: ChildProcess;
  private readonly exited: Promise<never>;

  private constructor(child: ChildProcess) {
    this.child = child;
    this.pid = child.pid!;
    this.exited = new Promise((_, reject) => {
      child.once('exit', (code, signal) =>
        reject(new Error(`${child.spawnfile} child exited (${signal ?? code})`)),
      );
    });
    this.exited.catch(() => undefined); // only an error while a request waits
  }

  /**
   * Forks `script` with `args` and tracks it in `procs`. `advanced` serialization carries typed
   * arrays as such (JSON would turn them into objects).
   */
  static async start<C extends { type: string }, R extends { type: string }>(
    procs: Processes,
    script: URL,
    args: string[] = [],
    serialization: 'json' | 'advanced' = 'json',
  ): Promise<IpcChild<C, R>> {
    // A young generation big enough that in-flight messages die young: fewer promotions, so
    // fewer of this process's full GCs, each of which stalls every delivery in flight.
    const child = fork(fileURLToPath(script), args, {
      execArgv: ['--import', 'tsx', '--max-semi-space-size=64'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization,
    });
    // Errors (a failed send included) also surface as a rejected request; don't crash on them.
    child.on('error', (err) => console.error(`bench: ${script.pathname}:`, err.message));
    await procs.add(() => stopChild(child, 'SIGKILL', 5000));
    return new IpcChild<C, R>(child);
  }

  /**
   * Sends `cmd` and waits up to `ms` for a reply of type `type` (or a failure). A reply of
   * another type is a late one to an earlier request that timed out: it is skipped.
   */
  async request<T extends R['type']>(
    cmd: C,
    type: T,
    ms: number,
  ): Promise<Extract<R, { type: T }>> {
    let timer: NodeJS.Timeout | undefined;
    let onMessage: ((msg: R | Failure) => void) | undefined;
    const reply = new Promise<R | Failure>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
      onMessage = (msg) => {
        if (msg.type === type || msg.type === 'failed') resolve(msg);
        else console.error(`bench: skipped a late ${msg.type} while waiting for ${type}`);
      };
      this.child.on('message', onMessage as (msg: unknown) => void);
      this.child.send(cmd as Serializable, (err: Error | null) => err && reject(err));
    });
    try {
      const msg = await Promise.race([reply, this.exited]);
      if (msg.type === 'failed') throw new Error((msg as Failure).error);
      return msg as Extract<R, { type: T }>;
    } finally {
      clearTimeout(timer);
      this.child.off('message', onMessage as (msg: unknown) => void);
    }
  }

  /** Kills the process unless it has exited. */
  stop(): Promise<void> {
    return stopChild(this.child, 'SIGKILL', 5000);
  }
}

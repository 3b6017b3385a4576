/**
 * Checkpoints a database file's write-ahead log from a worker thread, so that a commit
 * never copies the log into the file itself.
 *
 * With SQLite's automatic checkpoint, the commit that brings the log past its threshold
 * copies every page of it into the file before it returns: at 10M events that commit took
 * 170–210 ms, once every 13 batches of ingest, a quarter of ingest's time (a batch of 1,000
 * took about 36 ms otherwise). A PASSIVE checkpoint on a connection of its own, in another
 * thread, does the same copy on the other core while commits go on: writers never wait
 * for it, and it never waits for them (it copies what no reader still needs and leaves
 * the rest for its next run). The writer keeps an automatic checkpoint far above the
 * worker's reach, so that the log stays bounded even if the worker falls behind.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** One run's answer, as `PRAGMA wal_checkpoint` gives it. */
export interface CheckpointRun {
  /** 1 when the checkpoint could not start (another one ran), else 0. */
  busy: number;
  /** Frames in the log. */
  log: number;
  /** Frames copied into the file (all of them unless a reader still needs the rest). */
  checkpointed: number;
}

export interface CheckpointerOptions {
  /** The database file (in WAL mode). */
  file: string;
  /** How often the worker checkpoints, in ms (default 200). */
  everyMs?: number;
  /** Called with each run's answer in the owning thread (tests, diagnostics). */
  onRun?: (run: CheckpointRun) => void;
  /** Called once if the worker fails (the driver missing, the file unreadable): the writer's own checkpoint must take over. */
  onFailure?: (error: Error) => void;
}

/** The writer's automatic checkpoint while a worker checkpoints: a backstop, in pages (about 160 MB). */
export const BACKSTOP_PAGES = 40_000;

// Runs as the worker's CommonJS script: no bundling, no TypeScript.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const run = () => {
  try {
    const row = checkpoint.get();
    if (workerData.report) parentPort.postMessage(row);
  } catch (error) {
    // SQLITE_BUSY and the like: the next run tries again.
  }
};
const timer = setInterval(run, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class Checkpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  constructor(options: CheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: options.file, everyMs: options.everyMs ?? 200, report: Boolean(options.onRun) },
    });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    // A worker that fails hands the checkpoints back to the writer: the store goes on, more slowly.
    this.#worker.once('error', (error) => options.onFailure?.(error));
    if (options.onRun) this.#worker.on('message', options.onRun);
    // Never what keeps a process alive.
    this.#worker.unref();
  }

  /** Stops the worker after its current run and closes its connection. */
  async stop(): Promise<void> {
    // Waited for: the process stays up until the worker has closed its connection.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await this.#exited;
  }
}

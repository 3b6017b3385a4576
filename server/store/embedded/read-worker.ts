/**
 * Runs long reads (a CSV export's sort of its ids and a count that walks its matches; a
 * deep page's skip; a chart's sums over every event of its range) in a worker thread on a
 * connection of its own, so that they never hold the thread that answers requests.
 *
 * better-sqlite3 is synchronous: the ids of 950,000 events sorted by a column took one call
 * of 360–700 ms (2 cores, loaded), and a filter the rollups do not count (users and
 * endpoints together) counted 540,000 matches in 460–690 ms; the server answered nothing
 * meanwhile. Keyset pages along the sort's index would split the sort, but a filter that
 * index does not hold (one user's events sorted by amount) then reads many index entries
 * per page, and the export took seconds where the one sort took tens of ms; an iterator
 * held open across awaits would keep the writer's connection busy. The worker runs the
 * statement the owning thread would have (same plan, same order) in a short read
 * transaction of its own: the writer never waits for it.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface ReadWorkerOptions {
  /** The database file (in WAL mode). */
  file: string;
}

// Runs as the worker's CommonJS script: no bundling, no TypeScript.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('query_only = ON');
db.pragma('busy_timeout = 5000');
db.pragma('temp_store = MEMORY');
const statements = new Map();
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  const { id, sql, params, text } = message;
  try {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= 100) statements.delete(statements.keys().next().value);
      statement = db.prepare(sql).pluck();
      statements.set(sql, statement);
    }
    if (text) {
      parentPort.postMessage({ id, text: String(statement.get(params) ?? '') });
      return;
    }
    const values = Float64Array.from(statement.all(params));
    parentPort.postMessage({ id, values }, [values.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

interface Pending {
  resolve: (value: Float64Array | string) => void;
  reject: (error: Error) => void;
}

type Answer = { id: number; values: Float64Array } | { id: number; text: string } | { id: number; error: string };

export class ReadWorker {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failure: Error | null = null;
  #stopping = false;

  constructor(options: ReadWorkerOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: options.file } });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.on('message', (answer: Answer) => {
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if ('error' in answer) pending.reject(new Error(answer.error));
      else pending.resolve('values' in answer ? answer.values : answer.text);
    });
    const fail = (error: Error): void => {
      if (this.#failure) return;
      this.#failure = error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    this.#worker.once('error', fail);
    this.#worker.once('exit', () => {
      if (!this.#stopping) fail(new Error('The read worker stopped.'));
    });
    // Never what keeps a process alive while idle.
    this.#worker.unref();
  }

  /** The first column of every row of a read statement (numbers, named parameters), in its order. */
  column(sql: string, params: Record<string, unknown>): Promise<Float64Array> {
    return this.#read(sql, params, false) as Promise<Float64Array>;
  }

  /** The first column of the first row of a read statement, as text ('' without a row). */
  text(sql: string, params: Record<string, unknown>): Promise<string> {
    return this.#read(sql, params, true) as Promise<string>;
  }

  #read(sql: string, params: Record<string, unknown>, text: boolean): Promise<Float64Array | string> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#stopping) return Promise.reject(new Error('The store is closed.'));
    const id = this.#next++;
    return new Promise<Float64Array | string>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Kept alive while an answer is awaited.
      this.#worker.ref();
      this.#worker.postMessage({ id, sql, params, text });
    });
  }

  /** Whether the worker failed (the driver missing, the file unreadable): its reads then run on the owner's thread. */
  get failed(): boolean {
    return this.#failure !== null;
  }

  /** Stops the worker after its current read and closes its connection. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await this.#exited;
    for (const pending of this.#pending.values()) pending.reject(new Error('The store is closed.'));
    this.#pending.clear();
  }
}

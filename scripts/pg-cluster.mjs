// A private, throwaway PostgreSQL cluster for the tests, the benchmark and a person trying
// the PostgreSQL store: `initdb` into a temporary directory, `pg_ctl start` on a free port
// with a private socket directory, and stop + delete afterwards whatever happens (normal
// exit, SIGINT/SIGTERM, a failed test, even SIGKILL of the owner: a detached reaper
// process watches the owner and cleans up after it).
//
//   node scripts/pg-cluster.mjs         (npm run db:postgres) prints DATABASE_URL=… and
//                                       keeps the cluster until Ctrl-C.
//   import { startCluster } from '../../scripts/pg-cluster.mjs'
//
// PostgreSQL is looked for in Debian's layout (/usr/lib/postgresql/<version>/bin), then in
// PG_BIN, then on PATH. When none is found and we are root with apt-get, `apt-get install
// -y postgresql` is tried once; if that fails too, `findPostgres` throws an error that
// says how to install it (never a silent skip).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install them with ' +
  '`apt-get install -y postgresql` (Debian/Ubuntu; .ci/run does this), `brew install postgresql@15` ' +
  '(macOS), or point PG_BIN at the directory holding initdb and pg_ctl.';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function versionOf(dir) {
  const match = /postgresql\/(\d+)/.exec(dir);
  return match ? Number(match[1]) : 0;
}

function debianBins(root) {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((version) => join(root, version, 'bin'))
    .filter((bin) => existsSync(join(bin, 'initdb')))
    .sort((a, b) => versionOf(b) - versionOf(a));
}

function onPath() {
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const path = found.status === 0 ? found.stdout.trim() : '';
  return path ? [path.slice(0, path.lastIndexOf('/'))] : [];
}

let installTried = false;

/**
 * The directory of the PostgreSQL server binaries. Installs Debian's `postgresql` once when
 * none is found and we may; throws an error with install instructions otherwise. The
 * options narrow the search (the tests of the failure path use them).
 */
export function findPostgres({ debianRoot = '/usr/lib/postgresql', pgBin = process.env.PG_BIN, searchPath = true, install = true } = {}) {
  const candidates = () => [
    ...(pgBin && existsSync(join(pgBin, 'initdb')) ? [pgBin] : []),
    ...debianBins(debianRoot),
    ...(searchPath ? onPath() : []),
  ];
  let bins = candidates();
  if (bins.length === 0 && install && isRoot && !installTried && existsSync('/usr/bin/apt-get')) {
    installTried = true;
    process.stderr.write('pg-cluster: PostgreSQL not found; trying `apt-get install -y postgresql`…\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let install = spawnSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env });
    if (install.status !== 0) {
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      install = spawnSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env });
    }
    bins = candidates();
  }
  if (bins.length === 0) throw new Error(INSTALL_HINT);
  return bins[0];
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root (initdb refuses root). */
function asOwner(bin, tool, args) {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
}

function run(bin, tool, args) {
  const [command, argv] = asOwner(bin, tool, args);
  const result = spawnSync(command, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout || result.error}`);
  }
  return result.stdout;
}

/**
 * Stops the server and deletes its directory; a kept cluster (`keep`) is only stopped,
 * cleanly, so its data survives for the next run.
 */
function destroy(bin, dir, keep = false) {
  if (existsSync(join(dir, 'data', 'postmaster.pid'))) {
    const [command, argv] = asOwner(bin, 'pg_ctl', ['-D', join(dir, 'data'), '-m', keep ? 'fast' : 'immediate', '-w', 'stop']);
    spawnSync(command, argv, { stdio: 'ignore' });
  }
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

/** Settings for a throwaway cluster: durability traded for speed, sized for this machine. */
const DEFAULT_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '100',
  shared_buffers: '256MB',
  work_mem: '16MB',
  maintenance_work_mem: '256MB',
  max_wal_size: '2GB',
  jit: 'off',
};

const live = new Set();
let hooked = false;

function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const cluster of live) cluster.stopSync();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      for (const cluster of live) cluster.stopSync();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/**
 * Starts a private cluster and resolves to `{ url, port, dir, stop() }`; `url` is a
 * DATABASE_URL for its `postgres` database. `settings` are extra server settings.
 * With `keepDir` the cluster lives in that directory and is kept (only stopped) after
 * use, so a benchmark can reuse a seeded database; otherwise it is a temporary directory,
 * deleted afterwards. `owner` (default this process) is the process whose end removes
 * it; with another owner (the test runner, sharing one cluster between test files) this
 * process's exit leaves it running. `cleanup` lists files removed with it.
 */
export async function startCluster({ settings = {}, quiet = true, keepDir, owner = process.pid, cleanup = [] } = {}) {
  const bin = findPostgres();
  const keep = Boolean(keepDir);
  const dir = keep ? resolve(keepDir) : mkdtempSync(join(tmpdir(), 'usage-pg-'));
  const data = join(dir, 'data');
  if (keep) mkdirSync(dir, { recursive: true });
  if (isRoot) chownSync(dir, ...uidGid('postgres'));
  // A kept cluster left running by a run that was killed before its reaper acted.
  if (keep) destroy(bin, dir, true);
  let started = false;
  const cluster = {
    dir,
    port: 0,
    url: '',
    version: versionOf(bin),
    stopSync() {
      if (!live.delete(cluster)) return;
      destroy(bin, dir, keep);
    },
    async stop() {
      cluster.stopSync();
    },
  };
  const ownExit = owner === process.pid;
  if (ownExit) {
    live.add(cluster);
    hookExit();
  }
  try {
    if (!existsSync(join(data, 'PG_VERSION'))) {
      run(bin, 'initdb', ['-D', data, '--locale=C.UTF-8', '-E', 'UTF8', '-A', 'trust', '-U', 'postgres', '--no-sync']);
    }
    const conf = Object.entries({ ...DEFAULT_SETTINGS, ...settings })
      .map(([key, value]) => `${key} = '${value}'`)
      .join('\n');
    writeFileSync(join(data, 'postgresql.auto.conf'), `${conf}\n`);
    if (isRoot) chownSync(join(data, 'postgresql.auto.conf'), ...uidGid('postgres'));
    // A port can be taken between freePort() and the server's bind: retry a few times.
    for (let attempt = 0; attempt < 5 && !started; attempt++) {
      const port = await freePort();
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
      try {
        run(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
        started = true;
        cluster.port = port;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
    cluster.url = `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
    startReaper(owner, bin, dir, keep, cleanup);
    if (!quiet) process.stderr.write(`pg-cluster: PostgreSQL ${cluster.version} on port ${cluster.port} in ${dir}\n`);
    return cluster;
  } catch (error) {
    live.add(cluster);
    cluster.stopSync();
    throw error;
  }
}

function uidGid(user) {
  const out = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`pg-cluster: no "${user}" user to run PostgreSQL as root. ${INSTALL_HINT}`);
  return [Number(out.stdout), Number(gid.stdout)];
}

/**
 * A detached process that waits for this one to end and then removes the cluster, so a
 * SIGKILLed test run (a timeout) leaves no server behind.
 */
function startReaper(owner, bin, dir, keep, cleanup) {
  const args = ['--reap', String(owner), bin, dir, keep ? 'keep' : 'delete', ...cleanup];
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}

function reap(ownerPid, bin, dir, keep, cleanup) {
  const alive = () => {
    try {
      process.kill(ownerPid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const running = () => existsSync(join(dir, 'data', 'postmaster.pid'));
  const timer = setInterval(() => {
    if (alive() && running()) return;
    clearInterval(timer);
    if (!alive()) destroy(bin, dir, keep);
    for (const file of cleanup) rmSync(file, { force: true });
  }, 1000);
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const args = process.argv.slice(2);
  if (args[0] === '--reap') {
    reap(Number(args[1]), args[2], args[3], args[4] === 'keep', args.slice(5));
  } else {
    try {
      const cluster = await startCluster({ quiet: false, settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' } });
      process.stdout.write(`DATABASE_URL=${cluster.url}\n`);
      process.stderr.write('Throwaway cluster: stopped and deleted on Ctrl-C.\n');
      setInterval(() => {}, 1 << 30);
    } catch (error) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
  }
}

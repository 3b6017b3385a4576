/**
 * The reference server's settings, read from the environment once at start. A bad value
 * stops the start with a message naming the variable.
 */
import { join, resolve } from 'node:path';
import { MAX_STREAMS_PER_TOKEN } from '../handler/handler.js';
import { EMBEDDED_FILE, redact, storeKind } from '../store/open.js';

export interface ServerConfig {
  /** PORT (default 8080; 0 picks a free port). */
  port: number;
  /** HOST to listen on (default all interfaces). */
  host: string | undefined;
  /** DATABASE_URL: unset for the embedded file, postgres://… or memory:. */
  databaseUrl: string | undefined;
  /** DATA_DIR: the embedded file and the generated tokens (default ./data). */
  dataDir: string;
  /** SEED_EVENTS: about how many events a fresh demo organization gets (default 1,000,000). */
  seedEvents: number;
  /** CORS_ORIGINS: origins allowed to call /api from another origin (default none). */
  corsOrigins: string[];
  /** DEMO_TOKEN / OTHER_ORG_TOKEN when given (else generated once and kept in DATA_DIR). */
  demoToken: string | undefined;
  otherOrgToken: string | undefined;
  /** LIVE_TRAFFIC=0, off, false or no turns the simulator off (default on; 1, on, true, yes). */
  liveTraffic: boolean;
  /** MAX_STREAMS_PER_TOKEN: live streams one token may hold open at once (default 100). */
  maxStreamsPerToken: number;
}

export class ConfigError extends Error {}

const TOKEN = /^[\x21-\x7e]{16,1024}$/;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim().replace(/_/g, '');
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}=${env[name]} must be an integer from ${min} to ${max.toLocaleString('en-US')}.`);
  }
  return Number(raw);
}

function token(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!TOKEN.test(value)) throw new ConfigError(`${name} must be 16 to 1,024 visible ASCII characters without spaces.`);
  return value;
}

function origins(env: NodeJS.ProcessEnv): string[] {
  const list = (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const origin of list) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // Reported below.
    }
    if (!parsed || parsed.origin !== origin) {
      throw new ConfigError(`CORS_ORIGINS holds "${origin}", which is not an origin like https://admin.example.com (scheme, host, optional port; no path).`);
    }
  }
  return list;
}

/** LIVE_TRAFFIC: on unless set off; a value that is neither is refused, not read as on. */
function liveTraffic(env: NodeJS.ProcessEnv): boolean {
  const value = (env.LIVE_TRAFFIC ?? '').trim().toLowerCase();
  if (['', '1', 'true', 'on', 'yes'].includes(value)) return true;
  if (['0', 'false', 'off', 'no'].includes(value)) return false;
  throw new ConfigError(`LIVE_TRAFFIC=${env.LIVE_TRAFFIC} must be on or off (1, true, yes / 0, false, no).`);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const demoToken = token(env, 'DEMO_TOKEN');
  const otherOrgToken = token(env, 'OTHER_ORG_TOKEN');
  if (demoToken && demoToken === otherOrgToken) throw new ConfigError('DEMO_TOKEN and OTHER_ORG_TOKEN must differ.');
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  try {
    storeKind(databaseUrl);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    port: integer(env, 'PORT', 8080, 0, 65_535),
    host: env.HOST?.trim() || undefined,
    databaseUrl,
    dataDir: resolve(cwd, env.DATA_DIR?.trim() || 'data'),
    seedEvents: integer(env, 'SEED_EVENTS', 1_000_000, 0, 100_000_000),
    corsOrigins: origins(env),
    demoToken,
    otherOrgToken,
    liveTraffic: liveTraffic(env),
    maxStreamsPerToken: integer(env, 'MAX_STREAMS_PER_TOKEN', MAX_STREAMS_PER_TOKEN, 1, 100_000),
  };
}

/**
 * What a failed start prints: the setting to change for what the machine refused (a port in
 * use, a folder it cannot write, a database file it cannot use, a PostgreSQL it cannot
 * reach), instead of a stack trace; anything unforeseen as it is.
 */
export function describeStartFailure(error: unknown, config: Pick<ServerConfig, 'port' | 'host' | 'dataDir' | 'databaseUrl'> | undefined): unknown {
  if (error instanceof ConfigError) return `Configuration: ${error.message}`;
  if (!(error instanceof Error) || !config) return error;
  const { code, path, syscall, hostname } = error as NodeJS.ErrnoException & { hostname?: string };
  const message = error.message;
  if (code === 'EADDRINUSE') return `PORT=${config.port} is in use by another program: set PORT to a free port (0 picks one).`;
  // Listening on HOST: a name that does not resolve, or an address this machine does not have.
  if (config.host && ((syscall === 'listen' && code === 'EADDRNOTAVAIL') || (syscall === 'getaddrinfo' && hostname === config.host))) {
    return `HOST=${config.host} is no address of this machine (${code}): set HOST to one of its addresses (127.0.0.1 for this machine alone), or leave it unset to listen on all.`;
  }
  if (syscall === 'listen' && code === 'EACCES') return `PORT=${config.port} needs privileges this process lacks: set PORT to 1024 or above (0 picks a free one).`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `Cannot write ${path ?? config.dataDir} (${code}): set DATA_DIR to a folder the server may write (now ${config.dataDir}).`;
  if (code === 'EEXIST' || code === 'ENOTDIR') return `DATA_DIR=${config.dataDir} is not a folder: set DATA_DIR to a folder (${message}).`;
  // The store's driver is an optional peer dependency of the package: named, with the way out.
  const driver = code === 'ERR_MODULE_NOT_FOUND' ? /'(better-sqlite3|pg)'/.exec(message)?.[1] : undefined;
  if (driver) {
    return `The ${driver === 'pg' ? 'PostgreSQL' : 'embedded'} store needs the package ${driver}: run \`npm install ${driver}\`${driver === 'pg' ? '' : ', or set DATABASE_URL=memory: (nothing kept)'}.`;
  }
  const file = join(config.dataDir, EMBEDDED_FILE);
  if (error.name === 'SqliteError' || /^SQLITE_/.test(String(code))) {
    return `The database file ${file} cannot be used: ${message}. Make it writable, or delete it (with its -wal and -shm files) to seed a new one.`;
  }
  if (config.databaseUrl && /^postgres(ql)?:/i.test(config.databaseUrl) && (/^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH)$/.test(String(code)) || /^(28|3D)/.test(String(code)))) {
    return `PostgreSQL at DATABASE_URL=${redact(config.databaseUrl)} could not be used: ${message}.`;
  }
  return error;
}

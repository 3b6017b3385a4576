/** Types of scripts/pg-cluster.mjs for the TypeScript tests and benchmarks. */
export interface Cluster {
  /** A DATABASE_URL for the cluster's `postgres` database. */
  url: string;
  port: number;
  dir: string;
  version: number;
  stop(): Promise<void>;
  stopSync(): void;
}

export function findPostgres(options?: { debianRoot?: string; pgBin?: string; searchPath?: boolean; install?: boolean }): string;
export function freePort(): Promise<number>;
export function startCluster(options?: { settings?: Record<string, string>; quiet?: boolean; keepDir?: string; owner?: number; cleanup?: string[] }): Promise<Cluster>;

/**
 * The demo's bearer tokens: DEMO_TOKEN / OTHER_ORG_TOKEN from the environment, else the
 * ones generated on a first start and kept in `<DATA_DIR>/tokens.json` (mode 0600), so a
 * bookmarked token keeps working across restarts. The ingest tokens are always generated.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedTokens } from '../seed/seed.js';

export const TOKENS_FILE = 'tokens.json';

export interface KeptTokens extends SeedTokens {
  /** Which of DEMO_TOKEN / OTHER_ORG_TOKEN were generated here (so the start prints them). */
  generated: { demoRead: boolean; otherRead: boolean };
}

function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

function readKept(file: string): Partial<SeedTokens> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const out: Partial<SeedTokens> = {};
    for (const key of ['demoRead', 'demoIngest', 'otherRead', 'otherIngest'] as const) {
      if (typeof value[key] === 'string' && value[key]) out[key] = value[key];
    }
    return out;
  } catch {
    throw new Error(`${file} is not valid JSON: fix or delete it (new tokens are then generated).`);
  }
}

export function keepTokens(dataDir: string, given: { demoToken?: string | undefined; otherOrgToken?: string | undefined }): KeptTokens {
  const file = join(dataDir, TOKENS_FILE);
  const kept = readKept(file);
  const tokens: SeedTokens = {
    demoRead: given.demoToken ?? kept.demoRead ?? newToken('ud_demo_read'),
    demoIngest: kept.demoIngest ?? newToken('ud_demo_ingest'),
    otherRead: given.otherOrgToken ?? kept.otherRead ?? newToken('ud_other_read'),
    otherIngest: kept.otherIngest ?? newToken('ud_other_ingest'),
  };
  // Tokens given in the environment stay there: the file keeps only generated ones.
  const stored: Partial<SeedTokens> = {
    ...tokens,
    demoRead: given.demoToken ? kept.demoRead : tokens.demoRead,
    otherRead: given.otherOrgToken ? kept.otherRead : tokens.otherRead,
  };
  const changed = (Object.keys(stored) as (keyof SeedTokens)[]).some((key) => stored[key] !== kept[key]);
  if (changed) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    ...tokens,
    generated: { demoRead: !given.demoToken && !kept.demoRead, otherRead: !given.otherOrgToken && !kept.otherRead },
  };
}

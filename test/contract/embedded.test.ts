// The store contract suite against the embedded store (SQLite), on a fresh temporary file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openEmbeddedStore } from '../../server/store/embedded/index.js';
import { runStoreContract } from './suite.js';

const dir = mkdtempSync(join(tmpdir(), 'usage-embedded-'));
after(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('embedded', async () => openEmbeddedStore({ file: join(dir, 'contract.sqlite') }), {
  closeStore: (store) => store.close(),
});

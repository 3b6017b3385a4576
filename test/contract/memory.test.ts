// The store contract suite against the in-memory store.
import { createMemoryStore } from '../../server/store/memory/memory-store.js';
import { runStoreContract } from './suite.js';

runStoreContract('memory', async () => createMemoryStore());

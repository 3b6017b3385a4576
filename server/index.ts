/**
 * The reference server's public API: the Web-standard handler, the store interface, the
 * in-memory store and the seeded demo. Browser-safe (the node adapter and the embedded
 * store live in their own modules).
 */
export { createHandler, GRANT_TTL_MS, MAX_STREAMS_PER_TOKEN, type Handler, type HandlerOptions } from './handler/handler.js';
export { createMemoryStore, MemoryStore } from './store/memory/memory-store.js';
export type * from './store/types.js';
export {
  createDemoHandler,
  DEMO_TOKEN,
  DEMO_INGEST_TOKEN,
  OTHER_ORG_TOKEN,
  OTHER_ORG_INGEST_TOKEN,
  type DemoOptions,
  type DemoServer,
} from './seed/demo.js';
export { seedDemo, generateTraffic, DEMO_ORG, OTHER_ORG, type SeedOptions, type SeedSummary, type SeedTokens } from './seed/seed.js';
export { TrafficModel, type OrganizationSpec } from './seed/traffic.js';
export { ApiError } from './domain/errors.js';
export { sha256Hex } from './domain/sha256.js';

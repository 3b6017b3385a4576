/**
 * The reference server's node side, for a host mounting the handler in its own node
 * backend: the node:http adapter (Express, Fastify or plain http), the store opener by
 * DATABASE_URL, the demo site and the whole start-up (`serve`, what `npm start` runs).
 */
export { MAX_HEADER_SIZE, answerClientError, createNodeServer, nodeListener, toRequest, writeResponse, type WebHandler } from './adapter.js';
export { openStore, storeKind, EMBEDDED_FILE, type OpenStoreOptions, type OpenedStore, type StoreKind } from '../store/open.js';
export { createSite, type SiteOptions } from './site.js';
export { readConfig, ConfigError, type ServerConfig } from './config.js';
export { serve, type RunningServer, type ServeOptions } from './serve.js';

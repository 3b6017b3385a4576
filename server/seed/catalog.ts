/** The fixed catalog the seed draws from: names, endpoints and their traffic shapes. */
import type { IoType, ResourceType } from '../../src/api/contract.js';

export const FIRST_NAMES = [
  'Ada', 'Aiko', 'Amara', 'Anders', 'Ana', 'Bilal', 'Björn', 'Camille', 'Chen', 'Chiara', 'Dmitri', 'Elena', 'Émile',
  'Farah', 'Fatima', 'Felipe', 'Grace', 'Hana', 'Hiroshi', 'Ingrid', 'Ines', 'Jamal', 'José', 'Jonas', 'Kai', 'Karim',
  'Lars', 'Leila', 'Liam', 'Łukasz', 'Mahmoud', 'Maja', 'Mateo', 'Mei', 'Mia', 'Nadia', 'Noah', 'Nkechi', 'Olga',
  'Omar', 'Paulo', 'Priya', 'Rafael', 'Ravi', 'Rosa', 'Sakura', 'Samuel', 'Sofia', 'Søren', 'Tariq', 'Thandiwe', 'Tomás',
  'Uma', 'Valentina', 'Wei', 'Xavier', 'Yara', 'Yusuf', 'Zoë', 'Zanele',
];

export const LAST_NAMES = [
  'Abe', 'Adeyemi', 'Almeida', 'Andersson', 'Bauer', 'Bianchi', 'Castillo', 'Chowdhury', 'Costa', 'Dubois', 'Eriksen',
  'Fernández', 'Fischer', 'García', 'Gupta', 'Haddad', 'Hansen', 'Ito', 'Ivanova', 'Jensen', 'Kim', 'Kowalski', 'Kumar',
  'Larsen', 'Lefèvre', 'Li', 'López', 'Mensah', 'Moreau', 'Müller', 'Nakamura', 'Nguyen', 'Novák', 'Okafor', 'Olsen',
  'Park', 'Patel', 'Pereira', 'Petrov', 'Quispe', 'Rossi', 'Sato', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Suzuki',
  'Tanaka', 'Tran', 'Van Dijk', 'Wang', 'Weber', 'Wójcik', 'Yamamoto', 'Yilmaz', 'Zhang', 'Zieliński',
];

/** Service accounts: users without a person's name, often the heaviest. */
export const SERVICE_ACCOUNTS = ['svc-batch-summarizer', 'svc-doc-ingest', 'svc-support-bot', 'svc-nightly-eval', 'svc-search-indexer'];

export interface EndpointShape {
  endpoint: string;
  resourceType: ResourceType;
  /** Share of requests of its resource type. */
  weight: number;
  /** Input and output events of one request, or a single event of this I/O type. */
  io: 'pair' | IoType | 'mixed';
  /** Median amount and log-spread of the input (or single) event. */
  median: number;
  sigma: number;
  /** Output size relative to the input (pairs). */
  outputRatio?: number;
}

export const ENDPOINTS: readonly EndpointShape[] = [
  { endpoint: '/v1/chat/completions', resourceType: 'tokens', weight: 46, io: 'pair', median: 1_100, sigma: 1.0, outputRatio: 0.35 },
  { endpoint: '/v1/responses', resourceType: 'tokens', weight: 22, io: 'pair', median: 1_600, sigma: 1.1, outputRatio: 0.4 },
  { endpoint: '/v1/completions', resourceType: 'tokens', weight: 6, io: 'pair', median: 700, sigma: 0.9, outputRatio: 0.5 },
  { endpoint: '/v1/embeddings', resourceType: 'tokens', weight: 14, io: 'input', median: 2_400, sigma: 1.2 },
  { endpoint: '/v1/batches', resourceType: 'tokens', weight: 3, io: 'pair', median: 18_000, sigma: 1.0, outputRatio: 0.3 },
  { endpoint: '/v1/audio/transcriptions', resourceType: 'tokens', weight: 4, io: 'output', median: 900, sigma: 0.8 },
  { endpoint: '/v1/assistants/runs', resourceType: 'tokens', weight: 5, io: 'pair', median: 2_800, sigma: 1.0, outputRatio: 0.3 },
  { endpoint: '/v1/files', resourceType: 'storage', weight: 60, io: 'mixed', median: 1_800_000, sigma: 1.5 },
  { endpoint: '/v1/vector_stores/files', resourceType: 'storage', weight: 40, io: 'input', median: 350_000, sigma: 1.3 },
  { endpoint: '/v1/ocr/documents', resourceType: 'ocr', weight: 75, io: 'input', median: 4, sigma: 1.0 },
  { endpoint: '/v1/ocr/receipts', resourceType: 'ocr', weight: 25, io: 'mixed', median: 1.5, sigma: 0.6 },
];

/** Share of requests per resource type. */
export const TYPE_SHARE: Record<ResourceType, number> = { tokens: 0.86, storage: 0.07, ocr: 0.07 };

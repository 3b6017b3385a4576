/**
 * Test helpers over a demo reference server (server/, in memory), shared by the element
 * fixtures, each of which passes its own seeded server.
 */
import { DEMO_ORG, type DemoServer } from '../../server/index.js';
import { RESOURCE_TYPES, type ConsumptionEvent, type IngestEventInput } from '../api/contract.js';

/** Per-user budgets: generous base budgets by default; `{ basePer4h: 0, surplusPer4h: … }` makes every event draw surplus. */
export interface TestUserLimits {
  basePer4h: number;
  surplusPer4h: number;
}

/** Adds a user to the demo organization so that events can be ingested for it. */
export async function addUserTo(server: DemoServer, userId: string, limits: TestUserLimits = { basePer4h: 1e12, surplusPer4h: 0 }): Promise<void> {
  await server.ready;
  await server.store.putUsers(DEMO_ORG.orgId, [{ id: userId }]);
  await server.store.setUserLimits(
    DEMO_ORG.orgId,
    userId,
    RESOURCE_TYPES.map((resourceType) => ({ resourceType, ...limits, effectiveFrom: 0 })),
  );
}

/** Ingests events through `POST events` and returns them as stored (a refused one throws). */
export async function ingestInto(server: DemoServer, events: IngestEventInput[]): Promise<ConsumptionEvent[]> {
  const response = await server.ingest(events);
  const body = (await response.json()) as { items: (ConsumptionEvent | { error: { message: string } })[] };
  return body.items.map((item) => {
    if ('error' in item) throw new Error(`Ingest refused: ${item.error.message}`);
    return item;
  });
}

/** The query of a request, repeated parameters as arrays. */
export function paramsOf(url: URL): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    params[key] = values.length > 1 ? values : values[0]!;
  }
  return params;
}

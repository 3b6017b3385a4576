// Writes docs/contract.md: the data-endpoint contract by example. Every request in it is
// sent to the reference server's real handler (the in-memory store, seeded at a fixed
// instant), and every answer printed is the answer it gave, so the examples cannot drift
// from the server. `--check` writes nothing and fails when docs/contract.md is not what it
// would write (test/package/contract-docs.test.mjs runs it under `npm test`). Before the
// examples come the contract's rules, word for word from ../shared/DESIGN.md when it is
// beside the repository (the package's readers have no DESIGN.md), else as already written.
//
//   node --import tsx scripts/contract-docs.mjs [--check] [--out docs/contract.md]
//   (npm run docs:contract)
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createDemoHandler, DEMO_TOKEN, DEMO_INGEST_TOKEN } from '../server/index.ts';

/** The server's clock for every example: a Thursday noon, so "the last 7 days" is a plain week. */
export const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const SEED_EVENTS = 3_000;
const BASE = '/api';
/** Arrays in answers are cut to this many entries; the text says how many there were. */
const KEEP = 3;

const iso = (ms) => new Date(ms).toISOString();
const DAY = 86_400_000;
const WEEK = { from: iso(NOW - 7 * DAY), to: iso(NOW) };

/** Cuts every array longer than KEEP (at any depth) and lists what it cut. */
function trim(value, path = '', cuts = []) {
  if (Array.isArray(value)) {
    if (value.length > KEEP) cuts.push(`\`${path || 'the answer'}\`: ${KEEP} of ${value.length} shown`);
    return value.slice(0, KEEP).map((item, i) => trim(item, `${path}[${i}]`, cuts));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, trim(item, path ? `${path}.${key}` : key, cuts)]));
  }
  return value;
}

function block(language, text) {
  return ['```' + language, text.replace(/\n+$/, ''), '```'].join('\n');
}

function requestLine(method, path, headers, body) {
  const lines = [`${method} ${BASE}/${path}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push('', JSON.stringify(body, null, 2));
  return lines.join('\n');
}

/** Sends one example to the handler and renders the request and its real answer. */
async function example(demo, { title, about, method = 'GET', path, token = DEMO_TOKEN, headers = {}, body }) {
  const sent = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers, ...(body ? { 'content-type': 'application/json' } : {}) };
  const response = await demo.fetch(`${BASE}/${path}`, { method, headers: sent, ...(body ? { body: JSON.stringify(body) } : {}) });
  const type = response.headers.get('content-type') ?? '';
  const shownHeaders = { authorization: token ? 'Bearer $TOKEN' : undefined, ...headers, 'content-type': body ? 'application/json' : undefined };
  const out = [`### ${title}`, '', about, '', block('http', requestLine(method, path, Object.fromEntries(Object.entries(shownHeaders).filter(([, v]) => v)), body)), ''];
  const status = `HTTP ${response.status}${type ? `\ncontent-type: ${type}` : ''}`;
  if (type.startsWith('application/json')) {
    const cuts = [];
    const answer = trim(await response.json(), '', cuts);
    out.push(block('http', `${status}\n\n${JSON.stringify(answer, null, 2)}`), '');
    if (cuts.length) out.push(`(Arrays cut for this page: ${cuts.join('; ')}.)`, '');
  } else if (type.startsWith('text/csv')) {
    const lines = (await response.text()).split('\r\n').filter(Boolean);
    const stamps = ['usage-as-of', 'usage-last-event-id'].map((name) => `\n${name}: ${response.headers.get(name)}`).join('');
    out.push(block('http', `${status}${stamps}\n\n${lines.slice(0, KEEP + 1).join('\n')}`), '');
    out.push(`(${lines.length > KEEP + 1 ? `The header and the first ${KEEP} of ${lines.length - 1} rows shown; e` : 'E'}very line ends in CRLF, as RFC 4180 has it.)`, '');
  } else {
    out.push(block('http', `${status}\n\n${await response.text()}`), '');
  }
  return out.join('\n');
}

/** Opens the live stream after the newest event, ingests two events, shows the message that carries them. */
async function streamExample(demo, userId) {
  const limits = await (await demo.fetch(`${BASE}/limits`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } })).json();
  const after = limits.lastEventId;
  const path = `events/stream?resourceType=tokens&after=${after}`;
  const controller = new AbortController();
  const response = await demo.fetch(`${BASE}/${path}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` }, signal: controller.signal });
  const ingested = await demo.ingest([
    { userId, amount: 120, resourceType: 'tokens', ioType: 'input', requestId: 'req_docs_stream', endpoint: '/v1/chat/completions' },
    { userId, amount: 34, resourceType: 'tokens', ioType: 'output', requestId: 'req_docs_stream', endpoint: '/v1/chat/completions' },
  ]);
  const answer = await ingested.text();
  if (!ingested.ok || answer.includes('"error"')) throw new Error(`ingest for the stream example: HTTP ${ingested.status} ${answer}`);
  const giveUp = setTimeout(() => controller.abort(new Error('The stream sent no consumption message within 10 s.')), 10_000);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!/event: consumption\n(?:.*\n)*?\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  clearTimeout(giveUp);
  controller.abort();
  await reader.cancel().catch(() => {});
  const found = text.match(/event: consumption\n(?:.*\n)*?\n/);
  if (!found) throw new Error(`The stream sent no consumption message: ${JSON.stringify(text)}`);
  // From the stream's first byte (its opening comment) to the end of that message.
  const pretty = text.slice(0, found.index + found[0].length).replace(/^data: (.*)$/m, (_, data) => `data: ${JSON.stringify(JSON.parse(data))}`);
  return [
    '### The live stream',
    '',
    'Server-Sent Events, read with `fetch` (so the `Authorization` header goes along). Here the stream starts after the',
    'newest event, then two events are ingested; what the stream sends, from its opening comment to the message that',
    'carries them (one line of JSON per `data:`):',
    '',
    block('http', requestLine('GET', path, { authorization: 'Bearer $TOKEN' })),
    '',
    block('http', `HTTP ${response.status}\ncontent-type: ${response.headers.get('content-type')}\n\n${pretty}`),
    '',
    'Every later matching event follows in id order; `event: reset` (`data: {"lastEventId": …}`) tells a client to',
    'refetch: when more than 10,000 events of the organization follow `after`, or when a message would hold more than',
    '5,000 (a resume\'s catch-up comes as one message, so more than 5,000 matching events after `after` reset too), and',
    'when `after` is past the organization\'s newest id (a server reseeded since). A client that does not read what was',
    'sent gets nothing more until it does (the reference server queues at most 256 KiB and one message per client):',
    'what it missed then comes as one catch-up message, or a reset. A `: heartbeat` comment comes every 15 s while',
    'the client reads. A `Last-Event-ID` header resumes as `after` does, and wins when both are sent (an',
    '`EventSource` reconnecting to a URL holding `after` sends the newer id).',
    '',
  ].join('\n');
}

const DESIGN = resolve(import.meta.dirname, '../../shared/DESIGN.md');
const RULES_HEADING = '## The rules';

/**
 * The contract's rules: DESIGN.md's "The data-endpoint contract" with its surplus model,
 * live stream and ingest, word for word (the project's specification sits beside the
 * repository, not in it, so the package's readers get them here). Taken from DESIGN.md when
 * it is there and `fromDesign`, else from the docs as written, so that a machine without
 * it, and `--check`, keep the rules they have.
 */
export function contractRules({ fromDesign = false, docs = resolve(import.meta.dirname, '../docs/contract.md') } = {}) {
  if (fromDesign && existsSync(DESIGN)) {
    const design = readFileSync(DESIGN, 'utf8');
    const start = design.indexOf('## The data-endpoint contract');
    const end = design.indexOf('\n## ', start + 1);
    if (start >= 0 && end > start) return `${RULES_HEADING}\n\n${design.slice(design.indexOf('\n', start) + 1, end).trim()}\n`;
  }
  const written = existsSync(docs) ? readFileSync(docs, 'utf8') : '';
  const start = written.indexOf(`\n${RULES_HEADING}\n`);
  if (start < 0) throw new Error(`no "${RULES_HEADING}" in ${docs}, and no DESIGN.md beside the repository to take them from`);
  return `${written.slice(start + 1, written.indexOf('\n## ', start + 1)).trim()}\n`;
}

/** docs/contract.md as the handler answers today, with the contract's rules (`contractRules`). */
export async function renderContractDocs(rules = contractRules()) {
  const demo = createDemoHandler({ events: SEED_EVENTS, now: () => NOW });
  await demo.ready;
  const busiest = (await (await demo.fetch(`${BASE}/consumption?groupBy=userId&from=${WEEK.from}&to=${WEEK.to}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } })).json()).groups[0];
  const range = `from=${WEEK.from}&to=${WEEK.to}`;
  const sections = [
    '# The data-endpoint contract',
    '',
    '<!-- Generated by scripts/contract-docs.mjs (npm run docs:contract); a test fails when it is out of date. -->',
    '',
    'What a data endpoint answers, for the elements to show it: first [the rules](#the-rules) (parameters, limits,',
    'bucketing, the surplus model, the live stream, ingest), word for word from the project\'s design (DESIGN.md), then',
    'every route [by example](#reading-events). Every example request was sent to the reference server\'s handler',
    `(\`createDemoHandler\`, the in-memory store seeded with about ${SEED_EVENTS.toLocaleString('en-US')} events, its clock at ${iso(NOW)}), and`,
    'every answer is the one it gave. The elements\' side is in the [README](../README.md). Paths are relative to',
    '`data-endpoint` (here `/api`); `$TOKEN` is a bearer token of the organization (the demo prints its `DEMO_TOKEN`',
    'at start).',
    '',
    'Without `from` and `to`, a read covers the last 7 days at the server\'s now, `[now − 7d, now)` to the millisecond,',
    'except with a `requestId`: `events`,',
    '`events.csv` and the stream then search all dates, and `consumption` spans the minutes from the first matching event',
    'to the last, so that its points add up to every event of that request.',
    '',
    'A `+` in a query string is a space: send an offset\'s `+` as `%2B` (`from=2026-01-01T00:00:00%2B05:30`). An',
    'instant whose offset arrives after a space is read as `+` (it can mean nothing else); a time zone such as',
    '`Etc/GMT+5` is refused with a message saying to send its `+` as `%2B` (`Etc/GMT 5` names no zone).',
    '',
    'A chart\'s first or last bucket cut by `from` or `to` (a partial bucket) holds only what lies inside `[from, to)`:',
    'its `amount`, `drawn` and `usersOverBase` count the events in the range, and a surplus point\'s `available` is the',
    'value at the last minute of the bucket inside the range (a range ending at 11:30 reads the pool at 11:29, not at',
    'the bucket\'s midnight end), its `availableMin` the lowest minute inside the range. A bucket past `asOf` (a range',
    'reaching into the future) repeats the value at `asOf` in `available` and `availableMin`: no event after `asOf` is',
    'known, and the pool is not shown refilling ahead of time. `capacity` there is the one in force at `asOf`.',
    '',
    'A consumption answer grouped by `ioType` or `poolCategory` lists every value of the group the filters allow in',
    '`groups`, those with a total of 0 included (last, by code point), so that a legend and its colours stay the same',
    'from one range to the next; grouped by `userId` or `endpoint`, only keys with events are listed (`[]` when none',
    'match).',
    '',
    rules,
    '',
    '## Reading events',
    '',
    await example(demo, {
      title: 'A page of the event log',
      about: 'The table\'s default request: the last 7 days, newest first. `total` is exact up to 100,000.',
      path: `events?${range}&sort=created&order=desc&page=1&pageSize=25`,
    }),
    await example(demo, {
      title: 'Filtered and sorted',
      about: 'One user\'s token events of at least 1,000 tokens, largest first. `amountMin`/`amountMax` need a `resourceType`.',
      path: `events?${range}&resourceType=tokens&userId=${encodeURIComponent(busiest)}&amountMin=1000&sort=amount&order=desc&pageSize=5`,
    }),
    await example(demo, {
      title: 'The same events as CSV',
      about: 'RFC 4180, streamed; a cell that begins with `= + - @`, TAB or CR gets a leading `\'`; a cell holding a comma, a semicolon (a list separator of German or French spreadsheets), a quote or a line break is quoted. A file has no room for `asOf` and `lastEventId`: they come in the `Usage-As-Of` and `Usage-Last-Event-Id` headers (exposed to other origins allowed by `CORS_ORIGINS`).',
      path: `events.csv?${range}&resourceType=tokens&userId=${encodeURIComponent(busiest)}&sort=amount&order=desc`,
    }),
    await streamExample(demo, busiest),
    '## Charts',
    '',
    await example(demo, {
      title: 'Consumption over time',
      about: 'Daily buckets in a time zone, stacked by I/O type; `byGroup` holds every key of `groups`.',
      path: `consumption?${range}&bucket=day&groupBy=ioType&tz=Europe%2FBerlin`,
    }),
    await example(demo, {
      title: 'Who is spending',
      about: 'Grouped by user: the 10 largest are keys, the rest is each point\'s `other`.',
      path: `consumption?from=${iso(NOW - DAY)}&to=${iso(NOW)}&bucket=hour&groupBy=userId`,
    }),
    await example(demo, {
      title: 'The surplus pool',
      about: 'Capacity, what is left at each bucket\'s end and its lowest minute, what was drawn, how many users went past their base budget, and the forecast.',
      path: `surplus?${range}&resourceType=tokens&bucket=day`,
    }),
    '## Users, endpoints, limits',
    '',
    await example(demo, { title: 'Searching users', about: 'Type-ahead for the users filter, ordered by id.', path: 'users?q=u_&limit=3' }),
    await example(demo, { title: 'One user', about: 'With the limits in force now (per rolling 4 hours).', path: `users/${encodeURIComponent(busiest)}` }),
    await example(demo, { title: 'Endpoints', about: 'Seen in the last 90 days, most used first.', path: 'endpoints?limit=3' }),
    await example(demo, { title: 'Organization limits', about: 'The weekly token limit and the surplus pools.', path: 'limits' }),
    '## Ingest',
    '',
    await example(demo, {
      title: 'One event',
      about:
        'Needs a token with the `ingest` scope. The server classifies it (allocated, surplus or hybrid) when it stores it. ' +
        'An `Idempotency-Key` sent again within 24 hours with the same body, byte for byte, returns the first answer; ' +
        'any other body (the same JSON spaced differently included) is 409 `conflict`. ' +
        'A request refused whole, before any event is classified (400: a body that is not JSON or holds a bad field, or one event for a user the organization does not have; 401, 403, 413), keeps no key, ' +
        'as Stripe does: sent again corrected with the same key, it is stored (a 201 or 422, and any batch answer, is kept).',
      method: 'POST',
      path: 'events',
      token: DEMO_INGEST_TOKEN,
      headers: { 'idempotency-key': 'docs-example-1' },
      body: { userId: busiest, amount: 500, resourceType: 'tokens', ioType: 'input', requestId: 'req_docs_1', endpoint: '/v1/chat/completions' },
    }),
    await example(demo, {
      title: 'A batch, one entry refused',
      about: 'A batch answers 200 with one entry per input, in order: the stored event or its error.',
      method: 'POST',
      path: 'events',
      token: DEMO_INGEST_TOKEN,
      body: {
        events: [
          { userId: busiest, amount: 2, resourceType: 'ocr', ioType: 'input', requestId: 'req_docs_2', endpoint: '/v1/ocr/documents' },
          { userId: busiest, amount: -5, resourceType: 'tokens', ioType: 'output', requestId: 'req_docs_3', endpoint: '/v1/chat/completions' },
        ],
      },
    }),
    '## Errors',
    '',
    await example(demo, {
      title: 'A bad parameter',
      about: 'Every error has the same body; `param` names the parameter.',
      path: 'events?amountMin=1000',
    }),
    await example(demo, { title: 'No token', about: 'Every route needs a bearer token.', path: 'limits', token: null }),
  ];
  return `${sections.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

async function main() {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, out: { type: 'string', default: 'docs/contract.md' } } });
  const out = resolve(values.out);
  // Writing takes the rules from DESIGN.md when it is beside the repository; a check compares
  // the examples with the rules as written (DESIGN.md's own edits are not this check's to fail).
  const text = await renderContractDocs(contractRules({ fromDesign: !values.check, docs: out }));
  if (values.check) {
    const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (current !== text) {
      console.error(`${values.out} is out of date with the server's answers: run \`npm run docs:contract\`.`);
      process.exit(1);
    }
    console.log(`${values.out} is up to date.`);
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${values.out}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

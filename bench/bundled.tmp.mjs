var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/api/contract.ts
function parseInstant(text) {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "0", frac = "0", zone] = m;
  const month = Number(mo);
  const day2 = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day2 < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(Number(y), month - 1, day2, hour, minute, second, Number(frac.padEnd(3, "0").slice(0, 3)));
  if (new Date(Date.UTC(Number(y), month - 1, day2)).getUTCDate() !== day2) return null;
  let offset = 0;
  if (zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const [oh, om] = zone.slice(1).split(":").map(Number);
    if (oh > 23 || om > 59) return null;
    offset = sign * (oh * 60 + om) * 6e4;
  }
  const ms = utc - offset;
  return Number.isFinite(ms) ? ms : null;
}
function formatInstant(ms) {
  return new Date(ms).toISOString();
}
function compareCodePoints(a, b) {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 55296 && x <= 57343;
    const ys = y >= 55296 && y <= 57343;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
function ensure(ok, value, path, expected) {
  if (!ok) throw new ContractShapeError(pathText(path), expected);
  return value;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function oneOf(values) {
  const expected = `one of ${values.map((v) => `"${v}"`).join(", ")}`;
  return (v, p) => ensure(values.includes(v), v, p, expected);
}
function optional(check) {
  return (v, p) => v === void 0 ? void 0 : check(v, p);
}
function arrayOf(check) {
  return (v, p) => {
    ensure(Array.isArray(v), v, p, "an array");
    v.forEach((item, i) => check(item, () => `${pathText(p)}[${i}]`));
    return v;
  };
}
function join(path, key) {
  return () => {
    const base = pathText(path);
    return base ? `${base}.${key}` : key;
  };
}
function object(shape) {
  return (v, p) => {
    ensure(isRecord(v), v, p, "an object");
    const record = v;
    for (const key of Object.keys(shape)) {
      shape[key](record[key], join(p, key));
    }
    return v;
  };
}
function recordOf(check) {
  return (v, p) => {
    ensure(isRecord(v), v, p, "an object");
    for (const [key, item] of Object.entries(v)) check(item, join(p, key));
    return v;
  };
}
var RESOURCE_TYPES, POOL_CATEGORIES, IO_TYPES, UNITS, EVENT_SORT_COLUMNS, SORT_ORDERS, BUCKETS, GROUP_BYS, ERROR_CODES, LIMITS, CSV_COLUMNS, INSTANT, ContractShapeError, pathText, EVENT_ID, aString, aBoolean, aCount, aPositiveInteger, anInstant, anEventId, readAnswer, consumptionEvent, unitOf, userSummary, resourceLimits, errorBody, checkEventsPage, checkUsersPage, checkUserDetail, checkEndpointsPage, checkOrgLimits;
var init_contract = __esm({
  "src/api/contract.ts"() {
    "use strict";
    RESOURCE_TYPES = ["tokens", "storage", "ocr"];
    POOL_CATEGORIES = ["allocated", "surplus", "hybrid"];
    IO_TYPES = ["input", "output"];
    UNITS = { tokens: "tokens", storage: "bytes", ocr: "pages" };
    EVENT_SORT_COLUMNS = [
      "created",
      "userId",
      "amount",
      "resourceType",
      "poolCategory",
      "ioType",
      "requestId",
      "endpoint"
    ];
    SORT_ORDERS = ["asc", "desc"];
    BUCKETS = ["auto", "minute", "hour", "day", "week"];
    GROUP_BYS = ["ioType", "poolCategory", "userId", "endpoint"];
    ERROR_CODES = [
      "bad_parameter",
      "unauthorized",
      "forbidden",
      "not_found",
      "conflict",
      "limit_exceeded",
      "rate_limited",
      "too_large",
      "internal"
    ];
    LIMITS = {
      /** Values of one repeatable parameter. */
      maxValues: 200,
      /** Characters of one string parameter. */
      maxStringLength: 256,
      /** Characters of a whole query string. */
      maxQueryLength: 32768,
      defaultPageSize: 25,
      maxPageSize: 500,
      /** Largest `(page − 1) × pageSize`. */
      maxOffset: 1e6,
      /** `total` is exact up to this count; beyond, it is this with `totalIsExact: false`. */
      exactTotalCap: 1e5,
      /** `bucket=auto` takes the smallest unit with at most this many buckets. */
      autoMaxBuckets: 1500,
      maxBuckets: 2e4,
      maxCsvRows: 1e6,
      maxIngestBatch: 1e4,
      /** The stream resets when more than this many events follow `after`. */
      streamMaxBacklog: 1e4,
      /** The stream resets when one message would hold more than this many events. */
      streamMaxBatch: 5e3,
      streamFlushMs: 250,
      streamHeartbeatMs: 15e3,
      /** Pieces refetch after a reset at most this often. */
      streamResetRefetchMs: 1e4,
      usersDefaultLimit: 50,
      usersMaxLimit: 200,
      endpointsDefaultLimit: 50,
      endpointsMaxLimit: 200,
      /** Endpoints are listed from the last this many days. */
      endpointsWindowDays: 90,
      /** The rolling window of budgets and of the surplus pool. */
      windowMs: 4 * 36e5,
      /** The rolling window of the weekly token limit. */
      weekMs: 7 * 864e5,
      /** `created` on ingest must lie in `[now − this, now + ingestFutureMs]`. */
      ingestPastMs: 24 * 36e5,
      ingestFutureMs: 5 * 6e4,
      idempotencyMs: 24 * 36e5
    };
    CSV_COLUMNS = [
      "created",
      "userId",
      "amount",
      "resourceType",
      "poolCategory",
      "ioType",
      "requestId",
      "endpoint",
      "surplusAmount",
      "id"
    ];
    INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
    ContractShapeError = class extends Error {
      constructor(path, expected) {
        super(`${path || "answer"}: expected ${expected}`);
        this.name = "ContractShapeError";
        this.path = path;
        this.expected = expected;
      }
    };
    pathText = (path) => typeof path === "string" ? path : path();
    EVENT_ID = /^(0|[1-9]\d*)$/;
    aString = (v, p) => ensure(typeof v === "string", v, p, "a string");
    aBoolean = (v, p) => ensure(typeof v === "boolean", v, p, "a boolean");
    aCount = (v, p) => ensure(Number.isSafeInteger(v) && v >= 0, v, p, "a non-negative integer");
    aPositiveInteger = (v, p) => ensure(Number.isSafeInteger(v) && v >= 1, v, p, "a positive integer");
    anInstant = (v, p) => ensure(typeof v === "string" && parseInstant(v) != null, v, p, "an instant with a zone");
    anEventId = (v, p) => ensure(typeof v === "string" && EVENT_ID.test(v) && Number(v) < 2 ** 53, v, p, "an event id (a decimal integer)");
    readAnswer = { asOf: anInstant, lastEventId: anEventId };
    consumptionEvent = (v, p) => {
      const event = object({
        id: anEventId,
        created: anInstant,
        userId: aString,
        amount: aCount,
        resourceType: oneOf(RESOURCE_TYPES),
        poolCategory: oneOf(POOL_CATEGORIES),
        ioType: oneOf(IO_TYPES),
        requestId: aString,
        endpoint: aString,
        surplusAmount: aCount
      })(v, p);
      return ensure(event.surplusAmount <= event.amount, event, join(p, "surplusAmount"), "at most the amount");
    };
    unitOf = /* @__PURE__ */ oneOf(Object.values(UNITS));
    userSummary = { id: aString, name: optional(aString), email: optional(aString) };
    resourceLimits = /* @__PURE__ */ object({ basePer4h: aCount, surplusPer4h: aCount });
    errorBody = /* @__PURE__ */ object({
      error: object({
        code: oneOf(ERROR_CODES),
        message: aString,
        param: optional(aString),
        details: optional(recordOf((v) => v))
      })
    });
    checkEventsPage = /* @__PURE__ */ object({
      ...readAnswer,
      items: arrayOf(consumptionEvent),
      page: aPositiveInteger,
      pageSize: aPositiveInteger,
      total: aCount,
      totalIsExact: aBoolean
    });
    checkUsersPage = /* @__PURE__ */ object({ ...readAnswer, items: arrayOf(object(userSummary)), total: aCount });
    checkUserDetail = /* @__PURE__ */ object({
      ...readAnswer,
      ...userSummary,
      limits: /* @__PURE__ */ object({
        tokens: resourceLimits,
        storage: resourceLimits,
        ocr: resourceLimits
      })
    });
    checkEndpointsPage = /* @__PURE__ */ object({
      ...readAnswer,
      items: arrayOf(object({ endpoint: aString, events: aCount }))
    });
    checkOrgLimits = /* @__PURE__ */ object({
      ...readAnswer,
      weeklyTokenLimit: aCount,
      weeklyTokensUsed: aCount,
      storageLimit: aCount,
      storageUsed: aCount,
      surplusCapacity: /* @__PURE__ */ object({ tokens: aCount, storage: aCount, ocr: aCount })
    });
  }
});

// server/domain/errors.ts
function badParameter(param, message) {
  return new ApiError("bad_parameter", message, param);
}
var STATUS, ApiError;
var init_errors = __esm({
  "server/domain/errors.ts"() {
    "use strict";
    STATUS = {
      bad_parameter: 400,
      unauthorized: 401,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      too_large: 413,
      limit_exceeded: 422,
      rate_limited: 429,
      internal: 500
    };
    ApiError = class extends Error {
      constructor(code, message, param, details, headers) {
        super(message);
        this.code = code;
        this.param = param;
        this.details = details;
        this.headers = headers;
        this.name = "ApiError";
        this.status = STATUS[code];
      }
      /** The contract's error body. */
      toBody() {
        return {
          error: {
            code: this.code,
            message: this.message,
            ...this.param !== void 0 ? { param: this.param } : {},
            ...this.details !== void 0 ? { details: this.details } : {}
          }
        };
      }
    };
  }
});

// server/domain/sha256.ts
function sha256Hex(input) {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.length] = 128;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = new Uint32Array([1779033703, 3144134277, 1013904242, 2773480762, 1359893119, 2600822924, 528734635, 1541459225]);
  const w = new Uint32Array(64);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ w[i - 15] >>> 3;
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ w[i - 2] >>> 10;
      w[i] = w[i - 16] + s0 + w[i - 7] + s1 >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (e & f ^ ~e & g) + K[i] + w[i] >>> 0;
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + (a & b ^ a & c ^ b & c) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = d + t1 >>> 0;
      d = c;
      c = b;
      b = a;
      a = t1 + t2 >>> 0;
    }
    h[0] = h[0] + a >>> 0;
    h[1] = h[1] + b >>> 0;
    h[2] = h[2] + c >>> 0;
    h[3] = h[3] + d >>> 0;
    h[4] = h[4] + e >>> 0;
    h[5] = h[5] + f >>> 0;
    h[6] = h[6] + g >>> 0;
    h[7] = h[7] + hh >>> 0;
  }
  return [...h].map((x) => x.toString(16).padStart(8, "0")).join("");
}
var K, rotr;
var init_sha256 = __esm({
  "server/domain/sha256.ts"() {
    "use strict";
    K = new Uint32Array([
      1116352408,
      1899447441,
      3049323471,
      3921009573,
      961987163,
      1508970993,
      2453635748,
      2870763221,
      3624381080,
      310598401,
      607225278,
      1426881987,
      1925078388,
      2162078206,
      2614888103,
      3248222580,
      3835390401,
      4022224774,
      264347078,
      604807628,
      770255983,
      1249150122,
      1555081692,
      1996064986,
      2554220882,
      2821834349,
      2952996808,
      3210313671,
      3336571891,
      3584528711,
      113926993,
      338241895,
      666307205,
      773529912,
      1294757372,
      1396182291,
      1695183700,
      1986661051,
      2177026350,
      2456956037,
      2730485921,
      2820302411,
      3259730800,
      3345764771,
      3516065817,
      3600352804,
      4094571909,
      275423344,
      430227734,
      506948616,
      659060556,
      883997877,
      958139571,
      1322822218,
      1537002063,
      1747873779,
      1955562222,
      2024104815,
      2227730452,
      2361852424,
      2428436474,
      2756734187,
      3204031479,
      3329325298
    ]);
    rotr = (x, n) => x >>> n | x << 32 - n;
  }
});

// server/handler/http.ts
function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}
function errorResponse(error) {
  return json(error.status, error.toBody(), error.headers);
}
async function readBody(request, maxBytes) {
  const declared = Number(request.headers.get("content-length"));
  const tooLarge = () => new ApiError("too_large", `The body is larger than ${maxBytes.toLocaleString("en-US")} bytes.`, "body");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (; ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError("bad_parameter", "The body must be UTF-8.", "body");
  }
}
var JSON_HEADERS;
var init_http = __esm({
  "server/handler/http.ts"() {
    "use strict";
    init_errors();
    JSON_HEADERS = {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff"
    };
  }
});

// server/domain/consumption.ts
function hasOther(groupBy) {
  return groupBy === "userId" || groupBy === "endpoint";
}
function byTotalThenCodePoint(a, b) {
  return b.amount - a.amount || compareCodePoints(a.key, b.key);
}
function rankGroups(groupBy, sums3, allowed) {
  if (hasOther(groupBy)) return [...sums3].sort(byTotalThenCodePoint).slice(0, TOP_GROUPS).map((s) => s.key);
  const universe = groupBy === "ioType" ? IO_TYPES : POOL_CATEGORIES;
  const keys = allowed && allowed.length ? universe.filter((k) => allowed.includes(k)) : universe;
  const totals = new Map(sums3.map((s) => [s.key, s.amount]));
  return keys.map((key) => ({ key, amount: totals.get(key) ?? 0 })).sort(byTotalThenCodePoint).map((s) => s.key);
}
function buildConsumptionPoints(edges, groupBy, groups, rows) {
  const withOther = hasOther(groupBy);
  const points = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const byGroup = {};
    for (const key of groups) byGroup[key] = 0;
    points.push({ t: formatInstant(edges[i]), amount: 0, byGroup, ...withOther ? { other: 0 } : {} });
  }
  for (const row of rows) {
    const point = points[row.bucket];
    if (!point) continue;
    point.amount += row.amount;
    if (row.key !== null && Object.hasOwn(point.byGroup, row.key)) point.byGroup[row.key] += row.amount;
    else if (withOther) point.other += row.amount;
  }
  return points;
}
var TOP_GROUPS;
var init_consumption = __esm({
  "server/domain/consumption.ts"() {
    "use strict";
    init_contract();
    TOP_GROUPS = 10;
  }
});

// src/api/time-zone.ts
function formatterFor(timeZone) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric"
    });
    formatters.set(timeZone, format);
  }
  return format;
}
function isTimeZone(name) {
  if (name.length === 0 || name.length > LIMITS.maxStringLength) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}
function localParts(ms, timeZone) {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type in out) out[part.type] = Number(part.value);
  }
  return out;
}
function bucketIndex(edges, ms) {
  if (edges.length < 2 || ms < edges[0] || ms >= edges[edges.length - 1]) return -1;
  let lo = 0;
  let hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = lo + hi >> 1;
    if (edges[mid] <= ms) lo = mid;
    else hi = mid;
  }
  return lo;
}
var MINUTE, HOUR, DAY, UNIT_MS, formatters, ZoneCalendar, ZoneClock;
var init_time_zone = __esm({
  "src/api/time-zone.ts"() {
    "use strict";
    init_contract();
    MINUTE = 6e4;
    HOUR = 36e5;
    DAY = 864e5;
    UNIT_MS = { minute: MINUTE, hour: HOUR, day: DAY, week: 7 * DAY };
    formatters = /* @__PURE__ */ new Map();
    ZoneCalendar = class {
      constructor(timeZone) {
        this.timeZone = timeZone;
        formatterFor(timeZone);
      }
      #offsets = /* @__PURE__ */ new Map();
      /** Per UTC day: the offset of the whole day when it holds no change, else null. */
      #days = /* @__PURE__ */ new Map();
      /** Local wall-clock fields at an instant. */
      parts(ms) {
        return localParts(ms, this.timeZone);
      }
      /**
       * The zone's offset from UTC at an instant, in milliseconds (local = utc + offset).
       * A UTC day whose first and last minutes have the same offset holds no change (no zone
       * changes its offset twice within a day), so one reading serves all of its minutes: a
       * day of minute buckets reads the zone a few times instead of thousands. A day with a
       * change is read minute by minute.
       */
      offset(ms) {
        const day2 = Math.floor(ms / DAY);
        let whole = this.#days.get(day2);
        if (whole === void 0) {
          const first = this.#minuteOffset(day2 * DAY / MINUTE);
          whole = first === this.#minuteOffset((day2 + 1) * DAY / MINUTE - 1) ? first : null;
          this.#days.set(day2, whole);
        }
        return whole ?? this.#minuteOffset(Math.floor(ms / MINUTE));
      }
      #minuteOffset(minute) {
        let offset = this.#offsets.get(minute);
        if (offset === void 0) {
          const p = this.parts(minute * MINUTE);
          offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - minute * MINUTE;
          this.#offsets.set(minute, offset);
        }
        return offset;
      }
      /**
       * The instant at which the zone's clocks show a wall time (`month` 1-based; fields may
       * overflow as in `Date.UTC`). A time repeated by a change back takes its first
       * occurrence; a time skipped by a change forward is read with the offset before the
       * change (so 02:30 in a skipped 02:00–03:00 is 03:30), as `Temporal`'s 'compatible'.
       */
      instantOf(year, month, day2, hour = 0, minute = 0) {
        const wall = Date.UTC(year, month - 1, day2, hour, minute);
        const before = this.offset(wall - DAY);
        const after = this.offset(wall + DAY);
        const valid = [wall - before, wall - after].filter((t) => t + this.offset(t) === wall);
        return valid.length > 0 ? Math.min(...valid) : wall - before;
      }
      /** The first instant whose local date is on or after the given calendar date (`month` 1-based). */
      startOfLocalDate(year, month, day2) {
        const wall = Date.UTC(year, month - 1, day2);
        const guess = wall - this.offset(wall);
        const corrected = wall - this.offset(guess);
        if (corrected + this.offset(corrected) === wall) {
          const earlier = corrected - HOUR;
          return earlier + this.offset(earlier) === wall ? earlier : corrected;
        }
        let low = wall - 15 * HOUR;
        let high = wall + 15 * HOUR;
        while (high - low > MINUTE) {
          const mid = Math.floor((low + high) / 2 / MINUTE) * MINUTE;
          if (mid + this.offset(mid) >= wall) high = mid;
          else low = mid;
        }
        return high;
      }
    };
    ZoneClock = class extends ZoneCalendar {
      /** The start of the local unit (minute, hour, day, week from Monday) holding `ms`. */
      unitStart(ms, unit) {
        if (unit === "minute" || unit === "hour") {
          const size = UNIT_MS[unit];
          const offset = this.offset(ms);
          const start = Math.floor((ms + offset) / size) * size - offset;
          return this.offset(start) === offset ? start : this.#transitionBefore(ms, start);
        }
        const p = this.parts(ms);
        let date = Date.UTC(p.year, p.month - 1, p.day);
        if (unit === "week") {
          const weekday = (new Date(date).getUTCDay() + 6) % 7;
          date -= weekday * DAY;
        }
        const d = new Date(date);
        return this.startOfLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      }
      /** The start of the next unit after the one that starts at `start`. */
      nextUnitStart(start, unit) {
        if (unit === "minute" || unit === "hour") {
          const size = UNIT_MS[unit];
          const offset = this.offset(start);
          const next = Math.floor((start + offset) / size) * size + size - offset;
          return this.offset(next - 1) === offset ? next : this.#transitionAfter(start, next);
        }
        const p = this.parts(start + 12 * HOUR);
        const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + (unit === "week" ? 7 : 1) * DAY);
        return this.startOfLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      }
      /** The latest instant in (low, high] at which the offset differs from the one at low. */
      #transitionBefore(ms, low) {
        const target = this.offset(ms);
        let lo = low;
        let hi = ms;
        while (hi - lo > MINUTE) {
          const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
          if (this.offset(mid) === target) hi = mid;
          else lo = mid;
        }
        return hi;
      }
      /** The first instant in (start, next) at which the offset changes. */
      #transitionAfter(start, next) {
        const initial = this.offset(start);
        let lo = start;
        let hi = next;
        while (hi - lo > MINUTE) {
          const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
          if (this.offset(mid) === initial) lo = mid;
          else hi = mid;
        }
        return hi;
      }
    };
  }
});

// server/domain/time-zone.ts
function edgesOf(clock, unit, from, to, max) {
  if ((to - from) / UNIT_MS[unit] > max + 2) return null;
  const edges = [clock.unitStart(from, unit)];
  let last = edges[0];
  while (last < to) {
    if (edges.length > max) return null;
    last = clock.nextUnitStart(last, unit);
    edges.push(last);
  }
  return edges;
}
function planBuckets(bucket, from, to, timeZone) {
  const clock = new ZoneClock(timeZone);
  if (bucket !== "auto") {
    const edges = edgesOf(clock, bucket, from, to, LIMITS.maxBuckets);
    if (!edges) {
      throw badParameter("bucket", `More than ${LIMITS.maxBuckets.toLocaleString("en-US")} ${bucket} buckets over this range; choose a larger bucket or a shorter range.`);
    }
    return { bucket, edges };
  }
  for (const unit of AUTO_ORDER) {
    const max = unit === "week" ? LIMITS.maxBuckets : LIMITS.autoMaxBuckets;
    const edges = edgesOf(clock, unit, from, to, max);
    if (edges) return { bucket: unit, edges };
  }
  throw badParameter("from", `The range holds more than ${LIMITS.maxBuckets.toLocaleString("en-US")} weeks; choose a shorter range.`);
}
var AUTO_ORDER;
var init_time_zone2 = __esm({
  "server/domain/time-zone.ts"() {
    "use strict";
    init_contract();
    init_time_zone();
    init_errors();
    init_time_zone();
    AUTO_ORDER = ["minute", "hour", "day", "week"];
  }
});

// server/domain/params.ts
function describe(name) {
  return name.length > 64 ? `${name.slice(0, 64)}\u2026` : name;
}
function oneOf2(values, value, name) {
  if (values.includes(value)) return value;
  throw badParameter(name, `${name} must be one of ${values.join(", ")}.`);
}
function integer(value, name, min, what) {
  if (!/^\d{1,16}$/.test(value) || Number(value) < min || Number(value) > Number.MAX_SAFE_INTEGER) {
    throw badParameter(name, `${name} must be ${what}.`);
  }
  return Number(value);
}
function parseValue(kind, value, name) {
  if (value.length > LIMITS.maxStringLength) {
    throw badParameter(name, `${name} is longer than ${LIMITS.maxStringLength} characters.`);
  }
  switch (kind) {
    case "instant": {
      const ms = parseInstant(value);
      if (ms === null || ms < 0 || ms > MAX_INSTANT) {
        throw badParameter(name, `${name} must be an instant with Z or an offset between 1970 and 9999, such as 2025-03-01T00:00:00Z.`);
      }
      return ms;
    }
    case "resourceType":
      return oneOf2(RESOURCE_TYPES, value, name);
    case "poolCategory":
      return oneOf2(POOL_CATEGORIES, value, name);
    case "ioType":
      return oneOf2(IO_TYPES, value, name);
    case "sort":
      return oneOf2(EVENT_SORT_COLUMNS, value, name);
    case "order":
      return oneOf2(SORT_ORDERS, value, name);
    case "bucket":
      return oneOf2(BUCKETS, value, name);
    case "groupBy":
      return oneOf2(GROUP_BYS, value, name);
    case "amount":
      return integer(value, name, 0, "a non-negative integer");
    case "count":
      return integer(value, name, 0, "a non-negative integer");
    case "positive":
      return integer(value, name, 1, "a positive integer");
    case "eventId":
      return integer(value, name, 0, "an event id (a non-negative integer)");
    case "tz":
      if (!isTimeZone(value)) throw badParameter(name, `${name} must be an IANA time zone such as Europe/Berlin.`);
      return value;
    case "text":
      if (value.length === 0) throw badParameter(name, `${name} must not be empty.`);
      if (value.includes("\0")) throw badParameter(name, `${name} must not contain NUL characters.`);
      return value;
    case "search":
      if (value.includes("\0")) throw badParameter(name, `${name} must not contain NUL characters.`);
      return value;
  }
}
function parseRouteParams(route, search) {
  const raw = search.startsWith("?") ? search.slice(1) : search;
  const params = new URLSearchParams(raw);
  if (raw.length > LIMITS.maxQueryLength) {
    let longest = "";
    let longestLength = -1;
    for (const [name, value] of params) {
      if (value.length + name.length > longestLength) {
        longest = name;
        longestLength = value.length + name.length;
      }
    }
    throw badParameter(describe(longest), `The query string is longer than ${LIMITS.maxQueryLength.toLocaleString("en-US")} characters.`);
  }
  const specs = ROUTE_PARAMS[route];
  const out = {};
  for (const name of new Set(params.keys())) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : void 0;
    if (!spec) throw badParameter(describe(name), `Unknown parameter ${JSON.stringify(describe(name))}.`);
    const values = params.getAll(name);
    if (spec.repeatable) {
      if (values.length > LIMITS.maxValues) throw badParameter(name, `${name} has more than ${LIMITS.maxValues} values.`);
      out[name] = [...new Set(values.map((value) => parseValue(spec.kind, value, name)))];
    } else {
      if (values.length > 1) throw badParameter(name, `${name} may appear only once.`);
      out[name] = parseValue(spec.kind, values[0], name);
    }
  }
  return out;
}
function explicitRange(params) {
  if (params.from === void 0 && params.to === void 0) return null;
  if (params.from === void 0) throw badParameter("from", "from and to go together: from is missing.");
  if (params.to === void 0) throw badParameter("to", "from and to go together: to is missing.");
  if (params.from >= params.to) throw badParameter("from", "from must be before to.");
  return { from: params.from, to: params.to };
}
function rangeOrDefault(params, now) {
  const explicit = explicitRange(params);
  if (explicit) return explicit;
  const to = Math.floor(now / MINUTE2) * MINUTE2 + MINUTE2;
  return { from: to - DEFAULT_RANGE_MS, to };
}
function checkAmounts(params, needsType) {
  if (needsType && params.resourceType === void 0) {
    if (params.amountMin !== void 0) throw badParameter("amountMin", "amountMin needs resourceType: amounts are in the unit of one resource type.");
    if (params.amountMax !== void 0) throw badParameter("amountMax", "amountMax needs resourceType: amounts are in the unit of one resource type.");
  }
  if (params.amountMin !== void 0 && params.amountMax !== void 0 && params.amountMin > params.amountMax) {
    throw badParameter("amountMin", "amountMin must not be above amountMax.");
  }
}
var MAX_INSTANT, MINUTE2, DEFAULT_RANGE_MS, FILTER_SPECS, _requestId, CHART_FILTER_SPECS, ROUTE_PARAMS;
var init_params = __esm({
  "server/domain/params.ts"() {
    "use strict";
    init_contract();
    init_errors();
    init_time_zone2();
    MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    MINUTE2 = 6e4;
    DEFAULT_RANGE_MS = 7 * 864e5;
    FILTER_SPECS = {
      from: { kind: "instant" },
      to: { kind: "instant" },
      resourceType: { kind: "resourceType" },
      userId: { kind: "text", repeatable: true },
      poolCategory: { kind: "poolCategory", repeatable: true },
      ioType: { kind: "ioType", repeatable: true },
      amountMin: { kind: "amount" },
      amountMax: { kind: "amount" },
      requestId: { kind: "text" },
      endpoint: { kind: "text", repeatable: true },
      tz: { kind: "tz" }
    };
    ({ requestId: _requestId, ...CHART_FILTER_SPECS } = FILTER_SPECS);
    ROUTE_PARAMS = {
      events: { ...FILTER_SPECS, sort: { kind: "sort" }, order: { kind: "order" }, page: { kind: "positive" }, pageSize: { kind: "positive" } },
      eventsCsv: { ...FILTER_SPECS, sort: { kind: "sort" }, order: { kind: "order" } },
      stream: { ...FILTER_SPECS, after: { kind: "eventId" } },
      consumption: { ...CHART_FILTER_SPECS, bucket: { kind: "bucket" }, groupBy: { kind: "groupBy" } },
      surplus: { from: { kind: "instant" }, to: { kind: "instant" }, resourceType: { kind: "resourceType" }, bucket: { kind: "bucket" }, tz: { kind: "tz" } },
      users: { q: { kind: "search" }, id: { kind: "text", repeatable: true }, limit: { kind: "positive" }, offset: { kind: "count" } },
      endpoints: { q: { kind: "search" }, limit: { kind: "positive" } },
      none: {}
    };
  }
});

// server/domain/classification.ts
function classify({ amount, budget, reading, capacity, weekLimit }) {
  const baseLeft = Math.max(0, budget.basePer4h - reading.userBase);
  const available = Math.max(0, capacity - reading.poolDrawn);
  const surplusLeft = Math.min(Math.max(0, budget.surplusPer4h - reading.userSurplus), available);
  const weeklyLeft = weekLimit === null ? null : Math.max(0, weekLimit - reading.weekUsed);
  if (weeklyLeft !== null && amount > weeklyLeft) return { baseLeft, surplusLeft, weeklyLeft, binding: "week" };
  if (amount <= baseLeft) return { poolCategory: "allocated", surplusAmount: 0 };
  if (baseLeft === 0 && amount <= surplusLeft) return { poolCategory: "surplus", surplusAmount: amount };
  if (amount <= baseLeft + surplusLeft) return { poolCategory: "hybrid", surplusAmount: amount - baseLeft };
  return { baseLeft, surplusLeft, weeklyLeft, binding: "window" };
}
function versionAt(versions, t) {
  let found;
  for (const version of versions) {
    if (version.effectiveFrom <= t) found = version;
    else break;
  }
  return found ?? versions[0];
}
function budgetAt(limits, type, t) {
  const version = versionAt(
    limits.filter((l) => l.resourceType === type),
    t
  );
  return version ? { basePer4h: version.basePer4h, surplusPer4h: version.surplusPer4h } : { basePer4h: 0, surplusPer4h: 0 };
}
function weekLimitOf(limits, type) {
  if (!limits) return null;
  if (type === "tokens") return limits.weeklyTokenLimit;
  if (type === "storage") return limits.storageLimit;
  return null;
}
function describeRefusal(refused, type) {
  if (refused.binding === "week") {
    return type === "tokens" ? "The organization's weekly token limit is reached." : "The organization's storage limit for the rolling 7 days is reached.";
  }
  return "The amount exceeds the user's remaining base budget and surplus allowance.";
}
function classifyItem(source, item) {
  const userLimits = source.userLimits(item.userId);
  if (!userLimits) {
    return { error: { code: "bad_parameter", message: "userId is not a user of this organization.", param: "userId" } };
  }
  const orgLimits = versionAt(source.organizationLimits, item.created);
  const result = classify({
    amount: item.amount,
    budget: budgetAt(userLimits, item.resourceType, item.created),
    reading: source.windows.read(item.userId, item.resourceType, item.created),
    capacity: orgLimits?.surplusCapacity[item.resourceType] ?? 0,
    weekLimit: weekLimitOf(orgLimits, item.resourceType)
  });
  if ("poolCategory" in result) {
    source.windows.add(item.userId, item.resourceType, item.created, item.amount, result.surplusAmount);
    return result;
  }
  const oldest = source.windows.oldest(item.userId, item.resourceType, item.created);
  let freesAt;
  if (result.binding === "week") {
    freesAt = oldest.week === null ? null : oldest.week + LIMITS.weekMs;
  } else {
    const candidates = [oldest.user, result.surplusLeft === 0 ? oldest.pool : null].filter((v) => v !== null);
    freesAt = candidates.length ? Math.min(...candidates) + LIMITS.windowMs : null;
  }
  return {
    error: {
      code: "limit_exceeded",
      message: describeRefusal(result, item.resourceType),
      details: {
        baseLeft: result.baseLeft,
        surplusLeft: result.surplusLeft,
        weeklyLeft: result.weeklyLeft,
        freesAt: freesAt === null ? null : formatInstant(freesAt)
      }
    }
  };
}
var init_classification = __esm({
  "server/domain/classification.ts"() {
    "use strict";
    init_contract();
  }
});

// server/domain/surplus.ts
function capacityAt(limits, type, t) {
  return versionAt(limits, t)?.surplusCapacity[type] ?? 0;
}
function isOldestFirst(drawn) {
  for (let i = 1; i < drawn.length; i++) if (drawn[i].minute < drawn[i - 1].minute) return false;
  return true;
}
function firstMinuteNeeded(edges, asOf) {
  return Math.floor(Math.min(edges[0], asOf - 14 * DAY2) / MINUTE3);
}
function buildSurplusSeries(input) {
  const { type, edges, from, to, asOf, limits, steps, sums: sums3 } = input;
  const asOfMinute = Math.floor(asOf / MINUTE3);
  const points = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const first = Math.ceil(edges[i] / MINUTE3);
    const last = Math.min(Math.ceil(edges[i + 1] / MINUTE3) - 1, asOfMinute);
    const available = steps.valueAt(last >= first ? last : asOfMinute);
    points.push({
      t: formatInstant(edges[i]),
      capacity: capacityAt(limits, type, Math.min(edges[i + 1] - 1, asOf)),
      available,
      availableMin: last >= first ? steps.minOver(first, last) : available,
      drawn: sums3[i]?.drawn ?? 0,
      usersOverBase: sums3[i]?.usersOverBase ?? 0
    });
  }
  const lastMinute = Math.min(Math.ceil(to / MINUTE3) - 1, asOfMinute);
  const firstMinute = Math.floor(from / MINUTE3);
  const exhaustions = lastMinute >= firstMinute ? steps.exhaustions(firstMinute, lastMinute, (m) => capacityAt(limits, type, m * MINUTE3)) : 0;
  return {
    points,
    capacity: capacityAt(limits, type, Math.min(to - 1, asOf)),
    projection: project(steps, asOf, input.drawnLastWeek, exhaustions)
  };
}
function project(steps, asOf, drawnLastWeek, exhaustions) {
  const xs = [];
  const ys = [];
  for (let k = 1; k <= 14; k++) {
    const start = asOf - k * DAY2;
    const end = asOf - (k - 1) * DAY2;
    const first = Math.ceil(start / MINUTE3);
    const last = Math.ceil(end / MINUTE3) - 1;
    xs.push(end / DAY2);
    ys.push(steps.minOver(first, last));
  }
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - meanX) ** 2;
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  let exhaustedAt = null;
  if (slope < 0) {
    const zeroDay = meanX - meanY / slope;
    const zero = zeroDay * DAY2;
    if (zero > asOf && zero <= asOf + 30 * DAY2) exhaustedAt = formatInstant(Math.round(zero));
  }
  return { ratePerDay: drawnLastWeek / 7, troughSlopePerDay: slope, exhaustedAt, exhaustions };
}
var MINUTE3, DAY2, WINDOW_MINUTES, AvailableSteps;
var init_surplus = __esm({
  "server/domain/surplus.ts"() {
    "use strict";
    init_contract();
    init_classification();
    MINUTE3 = 6e4;
    DAY2 = 864e5;
    WINDOW_MINUTES = LIMITS.windowMs / MINUTE3;
    AvailableSteps = class {
      /**
       * One pass over the drawn minutes (oldest first, as the store returns them), merged with
       * the same minutes 240 later (where each leaves the window) and the limit versions: no
       * map of minutes, no set of changes to sort (a 90-day series of tokens has some 30,000
       * drawn minutes).
       */
      constructor(first, drawn, limits, type) {
        /** Minute indexes where the value changes (ascending); the first is `first`. */
        this.minutes = [];
        this.values = [];
        const rows = isOldestFirst(drawn) ? drawn : [...drawn].sort((a, b) => a.minute - b.minute);
        const indexes = [];
        const sums3 = [];
        for (const { minute, drawn: value } of rows) {
          const index2 = Math.floor(minute / MINUTE3);
          const last = indexes.length - 1;
          if (last >= 0 && indexes[last] === index2) sums3[last] += value;
          else {
            indexes.push(index2);
            sums3.push(value);
          }
        }
        const versions = limits.map((version2) => Math.ceil(version2.effectiveFrom / MINUTE3)).filter((index2) => index2 > first).sort((a, b) => a - b);
        let inWindow = 0;
        let entering = 0;
        for (; entering < indexes.length && indexes[entering] <= first; entering++) {
          if (indexes[entering] > first - WINDOW_MINUTES) inWindow += sums3[entering];
        }
        let leaving = 0;
        while (leaving < indexes.length && indexes[leaving] + WINDOW_MINUTES <= first) leaving++;
        let version = 0;
        let index = first;
        for (; ; ) {
          const value = Math.max(0, capacityAt(limits, type, index * MINUTE3) - inWindow);
          if (this.values[this.values.length - 1] !== value) {
            this.minutes.push(index);
            this.values.push(value);
          }
          index = Math.min(indexes[entering] ?? Infinity, (indexes[leaving] ?? Infinity) + WINDOW_MINUTES, versions[version] ?? Infinity);
          if (index === Infinity) break;
          const added = indexes[entering] === index ? sums3[entering++] : 0;
          const removed = indexes[leaving] + WINDOW_MINUTES === index ? sums3[leaving++] : 0;
          while (versions[version] === index) version++;
          inWindow += added - removed;
        }
      }
      #indexAt(minute) {
        let lo = 0;
        let hi = this.minutes.length - 1;
        if (minute < this.minutes[0]) return 0;
        while (lo < hi) {
          const mid = lo + hi + 1 >> 1;
          if (this.minutes[mid] <= minute) lo = mid;
          else hi = mid - 1;
        }
        return lo;
      }
      valueAt(minute) {
        return this.values[this.#indexAt(minute)];
      }
      /** The lowest value over minute indexes `[first, last]`. */
      minOver(first, last) {
        let i = this.#indexAt(first);
        let min = this.values[i];
        for (i++; i < this.minutes.length && this.minutes[i] <= last; i++) min = Math.min(min, this.values[i]);
        return min;
      }
      /** How often the value fell from above 0 to 0 over `[first, last]` while the capacity was above 0. */
      exhaustions(first, last, capacityAtMinute) {
        let i = this.#indexAt(first);
        let previous = this.values[i];
        let count = 0;
        for (i++; i < this.minutes.length && this.minutes[i] <= last; i++) {
          const value = this.values[i];
          if (previous > 0 && value === 0 && capacityAtMinute(this.minutes[i]) > 0) count++;
          previous = value;
        }
        return count;
      }
    };
  }
});

// server/handler/routes/common.ts
async function snapshot(ctx) {
  const maxId = await ctx.store.lastEventId(ctx.orgId);
  return { asOf: formatInstant(ctx.asOf), lastEventId: String(maxId), maxId };
}
function storeFilter(params, range, maxId) {
  const filter = { maxId };
  if (range) {
    filter.from = range.from;
    filter.to = range.to;
  }
  if (params.resourceType !== void 0) filter.resourceType = params.resourceType;
  if (params.userId?.length) filter.userIds = params.userId;
  if (params.poolCategory?.length) filter.poolCategories = params.poolCategory;
  if (params.ioType?.length) filter.ioTypes = params.ioType;
  if (params.amountMin !== void 0) filter.amountMin = params.amountMin;
  if (params.amountMax !== void 0) filter.amountMax = params.amountMax;
  if (params.requestId !== void 0) filter.requestId = params.requestId;
  if (params.endpoint?.length) filter.endpoints = params.endpoint;
  return filter;
}
var init_common = __esm({
  "server/handler/routes/common.ts"() {
    "use strict";
    init_contract();
  }
});

// server/handler/routes/charts.ts
async function getConsumption(ctx) {
  const params = parseRouteParams("consumption", ctx.url.search);
  checkAmounts(params, false);
  const range = rangeOrDefault(params, ctx.asOf);
  const tz = params.tz ?? "UTC";
  const plan = planBuckets(params.bucket ?? "auto", range.from, range.to, tz);
  const resourceType = params.resourceType ?? "tokens";
  const groupBy = params.groupBy ?? "ioType";
  const snap = await snapshot(ctx);
  const filter = storeFilter({ ...params, resourceType }, range, snap.maxId);
  let groups;
  let rows;
  if (hasOther(groupBy)) {
    const totals = await ctx.store.sumByKey(ctx.orgId, filter, groupBy);
    groups = rankGroups(groupBy, totals, void 0);
    rows = await ctx.store.sumByBucket(ctx.orgId, filter, plan.edges, groupBy, totals.length <= FEW_KEYS ? null : groups);
  } else {
    rows = await ctx.store.sumByBucket(ctx.orgId, filter, plan.edges, groupBy, null);
    const totals = /* @__PURE__ */ new Map();
    for (const row of rows) if (row.key !== null) totals.set(row.key, (totals.get(row.key) ?? 0) + row.amount);
    const sums3 = [...totals].map(([key, amount]) => ({ key, amount }));
    groups = rankGroups(groupBy, sums3, groupBy === "ioType" ? params.ioType : params.poolCategory);
  }
  const points = buildConsumptionPoints(plan.edges, groupBy, groups, rows);
  const answer = {
    from: formatInstant(range.from),
    to: formatInstant(range.to),
    bucket: plan.bucket,
    tz,
    resourceType,
    unit: UNITS[resourceType],
    groupBy,
    groups,
    points,
    total: points.reduce((sum, p) => sum + p.amount, 0),
    asOf: snap.asOf,
    lastEventId: snap.lastEventId
  };
  return json(200, answer);
}
async function getSurplus(ctx) {
  const params = parseRouteParams("surplus", ctx.url.search);
  const range = rangeOrDefault(params, ctx.asOf);
  const tz = params.tz ?? "UTC";
  const plan = planBuckets(params.bucket ?? "auto", range.from, range.to, tz);
  const resourceType = params.resourceType ?? "tokens";
  const snap = await snapshot(ctx);
  const { store: store2, orgId, asOf } = ctx;
  const first = firstMinuteNeeded(plan.edges, asOf);
  const lastEdge = plan.edges[plan.edges.length - 1];
  const clipped = [range.from, ...plan.edges.slice(1, -1), range.to];
  const [limits, drawn, sums3, lastWeek] = await Promise.all([
    store2.organizationLimits(orgId),
    store2.drawnByMinute(orgId, resourceType, first * MINUTE4 - 4 * 36e5, Math.max(Math.min(lastEdge, asOf + MINUTE4), first * MINUTE4), snap.maxId),
    store2.surplusBuckets(orgId, resourceType, clipped, snap.maxId),
    store2.surplusBuckets(orgId, resourceType, [asOf - WEEK, asOf], snap.maxId)
  ]);
  const series = buildSurplusSeries({
    type: resourceType,
    edges: plan.edges,
    from: range.from,
    to: range.to,
    asOf,
    limits,
    steps: new AvailableSteps(first, drawn, limits, resourceType),
    sums: sums3,
    drawnLastWeek: lastWeek[0]?.drawn ?? 0
  });
  const answer = {
    from: formatInstant(range.from),
    to: formatInstant(range.to),
    bucket: plan.bucket,
    tz,
    resourceType,
    unit: UNITS[resourceType],
    capacity: series.capacity,
    points: series.points,
    projection: series.projection,
    asOf: snap.asOf,
    lastEventId: snap.lastEventId
  };
  return json(200, answer);
}
var MINUTE4, WEEK, FEW_KEYS;
var init_charts = __esm({
  "server/handler/routes/charts.ts"() {
    "use strict";
    init_contract();
    init_consumption();
    init_params();
    init_surplus();
    init_time_zone2();
    init_http();
    init_common();
    MINUTE4 = 6e4;
    WEEK = 7 * 864e5;
    FEW_KEYS = 30;
  }
});

// server/handler/routes/directory.ts
function limitParam(value, fallback, max) {
  const limit = value ?? fallback;
  if (limit > max) throw badParameter("limit", `limit must be between 1 and ${max}.`);
  return limit;
}
async function getUsers(ctx) {
  const params = parseRouteParams("users", ctx.url.search);
  const limit = limitParam(params.limit, LIMITS.usersDefaultLimit, LIMITS.usersMaxLimit);
  const offset = params.offset ?? 0;
  if (offset > LIMITS.maxOffset) throw badParameter("offset", `offset must be at most ${LIMITS.maxOffset.toLocaleString("en-US")}.`);
  const snap = await snapshot(ctx);
  const found = await ctx.store.listUsers(ctx.orgId, {
    limit,
    offset,
    ...params.q ? { q: params.q } : {},
    ...params.id ? { ids: params.id } : {}
  });
  return json(200, { items: found.items, total: found.total, asOf: snap.asOf, lastEventId: snap.lastEventId });
}
async function getUser(ctx, userId) {
  parseRouteParams("none", ctx.url.search);
  const snap = await snapshot(ctx);
  const user = await ctx.store.getUser(ctx.orgId, userId);
  if (!user) throw new ApiError("not_found", "No such user.");
  const versions = await ctx.store.userLimits(ctx.orgId, userId);
  const limits = Object.fromEntries(RESOURCE_TYPES.map((type) => [type, budgetAt(versions, type, ctx.asOf)]));
  const answer = { ...user, limits, asOf: snap.asOf, lastEventId: snap.lastEventId };
  return json(200, answer);
}
async function getEndpoints(ctx) {
  const params = parseRouteParams("endpoints", ctx.url.search);
  const limit = limitParam(params.limit, LIMITS.endpointsDefaultLimit, LIMITS.endpointsMaxLimit);
  const snap = await snapshot(ctx);
  const items = await ctx.store.listEndpoints(ctx.orgId, {
    since: ctx.asOf - LIMITS.endpointsWindowDays * DAY3,
    limit,
    maxId: snap.maxId,
    ...params.q ? { q: params.q } : {}
  });
  return json(200, { items, asOf: snap.asOf, lastEventId: snap.lastEventId });
}
async function getLimits(ctx) {
  parseRouteParams("none", ctx.url.search);
  const snap = await snapshot(ctx);
  const { store: store2, orgId, asOf } = ctx;
  const week = [asOf - LIMITS.weekMs, asOf + 1];
  const used = async (resourceType) => (await store2.sumByBucket(orgId, { maxId: snap.maxId, resourceType, from: week[0], to: week[1] }, week, null, null)).reduce(
    (sum, row) => sum + row.amount,
    0
  );
  const [versions, weeklyTokensUsed, storageUsed] = await Promise.all([store2.organizationLimits(orgId), used("tokens"), used("storage")]);
  const current = versionAt(versions, asOf);
  const answer = {
    weeklyTokenLimit: current?.weeklyTokenLimit ?? 0,
    weeklyTokensUsed,
    storageLimit: current?.storageLimit ?? 0,
    storageUsed,
    surplusCapacity: current?.surplusCapacity ?? { tokens: 0, storage: 0, ocr: 0 },
    asOf: snap.asOf,
    lastEventId: snap.lastEventId
  };
  return json(200, answer);
}
var DAY3;
var init_directory = __esm({
  "server/handler/routes/directory.ts"() {
    "use strict";
    init_contract();
    init_classification();
    init_errors();
    init_params();
    init_http();
    init_common();
    DAY3 = 864e5;
  }
});

// server/domain/csv.ts
function csvCell(value) {
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
function csvRow(event) {
  return `${CSV_COLUMNS.map((column) => csvCell(event[column])).join(",")}\r
`;
}
var FORMULA_START, NEEDS_QUOTES, CSV_HEADER;
var init_csv = __esm({
  "server/domain/csv.ts"() {
    "use strict";
    init_contract();
    FORMULA_START = /^[=+\-@\t\r]/;
    NEEDS_QUOTES = /[",\r\n]/;
    CSV_HEADER = `${CSV_COLUMNS.join(",")}\r
`;
  }
});

// server/handler/routes/events.ts
function eventFilter(ctx, params, snap) {
  checkAmounts(params, true);
  const range = params.requestId !== void 0 ? explicitRange(params) : rangeOrDefault(params, ctx.asOf);
  return storeFilter(params, range, snap.maxId);
}
function orderOf(params) {
  return { sort: params.sort ?? "created", order: params.order ?? "desc" };
}
async function getEvents(ctx) {
  const params = parseRouteParams("events", ctx.url.search);
  const pageSize = params.pageSize ?? LIMITS.defaultPageSize;
  const page = params.page ?? 1;
  if (pageSize > LIMITS.maxPageSize) throw badParameter("pageSize", `pageSize must be between 1 and ${LIMITS.maxPageSize}.`);
  const offset = (page - 1) * pageSize;
  if (offset > LIMITS.maxOffset) {
    throw badParameter("page", `(page \u2212 1) \xD7 pageSize must be at most ${LIMITS.maxOffset.toLocaleString("en-US")}; narrow the filters or sort the other way.`);
  }
  const snap = await snapshot(ctx);
  const filter = eventFilter(ctx, params, snap);
  const [items, count] = await Promise.all([
    ctx.store.queryEvents(ctx.orgId, filter, { ...orderOf(params), offset, limit: pageSize }),
    ctx.store.countEvents(ctx.orgId, filter, LIMITS.exactTotalCap + 1)
  ]);
  const totalIsExact = count <= LIMITS.exactTotalCap;
  return json(200, {
    items,
    page,
    pageSize,
    total: totalIsExact ? count : LIMITS.exactTotalCap,
    totalIsExact,
    asOf: snap.asOf,
    lastEventId: snap.lastEventId
  });
}
async function getEventsCsv(ctx) {
  const params = parseRouteParams("eventsCsv", ctx.url.search);
  const snap = await snapshot(ctx);
  const filter = eventFilter(ctx, params, snap);
  const count = await ctx.store.countEvents(ctx.orgId, filter, LIMITS.maxCsvRows + 1);
  if (count > LIMITS.maxCsvRows) {
    throw new ApiError("bad_parameter", `The download holds more than ${LIMITS.maxCsvRows.toLocaleString("en-US")} rows; narrow the range or the filters.`, "from");
  }
  const batches = ctx.store.iterateEvents(ctx.orgId, filter, orderOf(params))[Symbol.asyncIterator]();
  const encoder2 = new TextEncoder();
  let headerSent = false;
  const body = new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder2.encode(CSV_HEADER));
        return;
      }
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder2.encode(next.value.map(csvRow).join("")));
    },
    async cancel() {
      await batches.return?.();
    }
  });
  const stamp = snap.asOf.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="events-${stamp}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff"
    }
  });
}
var init_events = __esm({
  "server/handler/routes/events.ts"() {
    "use strict";
    init_contract();
    init_csv();
    init_errors();
    init_params();
    init_http();
    init_common();
  }
});

// server/domain/ingest-input.ts
function refusal(param, message) {
  return { error: { code: "bad_parameter", message, param } };
}
function isWellFormedText(value) {
  return !/\p{Cs}/u.test(value) && !value.includes("\0");
}
function validateIngestEvent(input, now) {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return refusal("event", "An event must be a JSON object.");
  const record = input;
  for (const key of Object.keys(record)) {
    if (!FIELDS.has(key)) return refusal(key.slice(0, 64), `Unknown field ${JSON.stringify(key.slice(0, 64))}.`);
  }
  for (const field of TEXT_FIELDS) {
    const value = record[field];
    if (typeof value !== "string" || value.length === 0) return refusal(field, `${field} must be a non-empty string.`);
    if (value.length > LIMITS.maxStringLength) return refusal(field, `${field} is longer than ${LIMITS.maxStringLength} characters.`);
    if (!isWellFormedText(value)) return refusal(field, `${field} must be well-formed text without NUL characters.`);
  }
  const amount = record.amount;
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount < 0) return refusal("amount", "amount must be a non-negative integer.");
  if (!RESOURCE_TYPES.includes(record.resourceType)) return refusal("resourceType", `resourceType must be one of ${RESOURCE_TYPES.join(", ")}.`);
  if (!IO_TYPES.includes(record.ioType)) return refusal("ioType", `ioType must be one of ${IO_TYPES.join(", ")}.`);
  let created = now;
  if (record.created !== void 0) {
    const parsed = typeof record.created === "string" ? parseInstant(record.created) : null;
    if (parsed === null) return refusal("created", "created must be an instant with Z or an offset.");
    if (parsed < now - LIMITS.ingestPastMs || parsed > now + LIMITS.ingestFutureMs) {
      return refusal("created", "created must lie within the last 24 hours or the next 5 minutes.");
    }
    created = parsed;
  }
  return {
    userId: record.userId,
    amount,
    resourceType: record.resourceType,
    ioType: record.ioType,
    requestId: record.requestId,
    endpoint: record.endpoint,
    created
  };
}
function parseIngestBody(text, now) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw badParameter("body", 'The body must be JSON: one event or { "events": [...] }.');
  }
  if (typeof body === "object" && body !== null && !Array.isArray(body) && "events" in body) {
    const record = body;
    const extra = Object.keys(record).find((key) => key !== "events");
    if (extra !== void 0) throw badParameter(extra.slice(0, 64), `Unknown field ${JSON.stringify(extra.slice(0, 64))} beside events.`);
    if (!Array.isArray(record.events)) throw badParameter("events", "events must be an array.");
    if (record.events.length > LIMITS.maxIngestBatch) {
      throw new ApiError("too_large", `A batch holds at most ${LIMITS.maxIngestBatch.toLocaleString("en-US")} events.`, "events");
    }
    return { batch: true, entries: record.events.map((event) => validateIngestEvent(event, now)) };
  }
  const entry = validateIngestEvent(body, now);
  if ("error" in entry) throw badParameter(entry.error.param ?? "body", entry.error.message);
  return { batch: false, entries: [entry] };
}
var FIELDS, TEXT_FIELDS;
var init_ingest_input = __esm({
  "server/domain/ingest-input.ts"() {
    "use strict";
    init_contract();
    init_errors();
    FIELDS = /* @__PURE__ */ new Set(["userId", "amount", "resourceType", "ioType", "requestId", "endpoint", "created"]);
    TEXT_FIELDS = ["userId", "requestId", "endpoint"];
  }
});

// server/handler/routes/ingest.ts
function render(batch, results) {
  if (batch) return json(200, { items: results });
  const result = results[0];
  if (!("error" in result)) return json(201, result);
  return json(result.error.code === "limit_exceeded" ? 422 : 400, result);
}
async function postEvents(ctx) {
  if (ctx.url.search.length > 1) throw badParameter([...ctx.url.searchParams.keys()][0] ?? "query", "POST events takes no query parameters.");
  const key = ctx.request.headers.get("idempotency-key");
  if (key !== null && (key.length === 0 || key.length > LIMITS.maxStringLength)) {
    throw badParameter("Idempotency-Key", `Idempotency-Key must be 1 to ${LIMITS.maxStringLength} characters.`);
  }
  const text = await readBody(ctx.request, ctx.options.maxBodyBytes ?? DEFAULT_MAX_BODY);
  const now = ctx.now();
  const parsed = parseIngestBody(text, now);
  const outcome = await ctx.store.ingest(
    ctx.orgId,
    parsed.entries,
    key === null ? {} : { idempotency: { key, requestHash: sha256Hex(text), now } }
  );
  if (outcome.kind === "conflict") {
    throw new ApiError("conflict", "This Idempotency-Key was used within 24 hours with a different body.", "Idempotency-Key");
  }
  const response = render(parsed.batch, outcome.results);
  if (outcome.kind === "replayed") response.headers.set("idempotent-replayed", "true");
  return response;
}
var DEFAULT_MAX_BODY;
var init_ingest = __esm({
  "server/handler/routes/ingest.ts"() {
    "use strict";
    init_contract();
    init_errors();
    init_ingest_input();
    init_sha256();
    init_http();
    DEFAULT_MAX_BODY = 16 * 1024 * 1024;
  }
});

// src/api/match.ts
function inList(list, value) {
  return !list || list.length === 0 || list.includes(value);
}
function matchesFilter(event, filter, options = {}) {
  if (filter.requestId != null && event.requestId !== filter.requestId) return false;
  if (filter.from != null && filter.to != null) {
    const created = parseInstant(event.created);
    const from = parseInstant(filter.from);
    const to = parseInstant(filter.to);
    if (created == null || from == null || to == null) return false;
    if (created < from) return false;
    if (!options.openEnd && created >= to) return false;
  }
  if (filter.resourceType != null && event.resourceType !== filter.resourceType) return false;
  if (!inList(filter.userIds, event.userId)) return false;
  if (!inList(filter.poolCategories, event.poolCategory)) return false;
  if (!inList(filter.ioTypes, event.ioType)) return false;
  if (!inList(filter.endpoints, event.endpoint)) return false;
  if (filter.amountMin != null && event.amount < filter.amountMin) return false;
  if (filter.amountMax != null && event.amount > filter.amountMax) return false;
  return true;
}
var init_match = __esm({
  "src/api/match.ts"() {
    "use strict";
    init_contract();
  }
});

// server/handler/routes/stream.ts
function parseLastEventId(header) {
  if (header === null || header === "") return void 0;
  if (!/^\d{1,16}$/.test(header) || Number(header) > Number.MAX_SAFE_INTEGER) {
    throw badParameter("Last-Event-ID", "Last-Event-ID must be an event id.");
  }
  return Number(header);
}
async function getStream(ctx) {
  const params = parseRouteParams("stream", ctx.url.search);
  checkAmounts(params, true);
  const range = explicitRange(params);
  const filter = {
    from: range ? formatInstant(range.from) : void 0,
    to: range ? formatInstant(range.to) : void 0,
    resourceType: params.resourceType,
    userIds: params.userId,
    poolCategories: params.poolCategory,
    ioTypes: params.ioType,
    amountMin: params.amountMin,
    amountMax: params.amountMax,
    requestId: params.requestId,
    endpoints: params.endpoint
  };
  const headerAfter = parseLastEventId(ctx.request.headers.get("last-event-id"));
  const { store: store2, orgId, request } = ctx;
  const flushMs = ctx.options.streamFlushMs ?? LIMITS.streamFlushMs;
  const heartbeatMs = ctx.options.heartbeatMs ?? LIMITS.streamHeartbeatMs;
  let cursor = params.after ?? headerAfter ?? await store2.lastEventId(orgId);
  let closed = false;
  let running = false;
  let again = false;
  let lastFlush = 0;
  let timer;
  let heartbeat;
  let unwatch = () => {
  };
  let controller;
  const send = (text) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      close();
    }
  };
  const reset = async () => {
    cursor = await store2.lastEventId(orgId);
    send(`event: reset
data: ${JSON.stringify({ lastEventId: String(cursor) })}

`);
  };
  const flush = async () => {
    timer = void 0;
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const events = await store2.eventsAfter(orgId, cursor, LIMITS.streamMaxBatch + 1);
        if (closed) return;
        if (events.length > LIMITS.streamMaxBatch) {
          await reset();
          continue;
        }
        if (events.length === 0) continue;
        cursor = Number(events[events.length - 1].id);
        const matching = events.filter((event) => matchesFilter(event, filter));
        if (matching.length) {
          send(`event: consumption
id: ${matching[matching.length - 1].id}
data: ${JSON.stringify(matching)}

`);
        }
      } while (again && !closed);
    } catch (error) {
      ctx.options.onError?.(error, request);
      close();
    } finally {
      running = false;
      lastFlush = Date.now();
    }
  };
  const schedule = () => {
    if (closed || timer !== void 0) return;
    timer = setTimeout(() => void flush(), Math.max(0, lastFlush + flushMs - Date.now()));
  };
  function close() {
    if (closed) return;
    closed = true;
    unwatch();
    clearTimeout(timer);
    clearInterval(heartbeat);
    request.signal.removeEventListener("abort", close);
    try {
      controller.close();
    } catch {
    }
  }
  const body = new ReadableStream({
    async start(c) {
      controller = c;
      send(": connected\n\n");
      if (await store2.countEventsAfter(orgId, cursor, LIMITS.streamMaxBacklog + 1) > LIMITS.streamMaxBacklog) await reset();
      if (closed) return;
      unwatch = store2.watch(orgId, schedule);
      heartbeat = setInterval(() => send(": heartbeat\n\n"), heartbeatMs);
      schedule();
    },
    cancel() {
      close();
    }
  });
  if (request.signal.aborted) close();
  else request.signal.addEventListener("abort", close);
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
      "x-content-type-options": "nosniff"
    }
  });
}
var encoder;
var init_stream = __esm({
  "server/handler/routes/stream.ts"() {
    "use strict";
    init_contract();
    init_match();
    init_errors();
    init_params();
    encoder = new TextEncoder();
  }
});

// server/handler/handler.ts
function findRoute(path, method) {
  const entry = ROUTES[path];
  if (entry) return entry[method] ?? null;
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user && method === "GET") {
    let id;
    try {
      id = decodeURIComponent(user[1]);
    } catch {
      return null;
    }
    return { scope: "read", run: (ctx) => getUser(ctx, id) };
  }
  return null;
}
function createHandler(options) {
  const { store: store2 } = options;
  const now = options.now ?? Date.now;
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const origins = new Set(options.corsOrigins ?? []);
  const limiter = options.rateLimit ? new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst) : null;
  const grants = /* @__PURE__ */ new Map();
  async function authenticate(request) {
    const header = request.headers.get("authorization") ?? "";
    const match = /^Bearer ([\x21-\x7e]{1,1024})$/i.exec(header.trim());
    const challenge = { "www-authenticate": "Bearer" };
    if (!match) throw new ApiError("unauthorized", "A bearer token is required (Authorization: Bearer <token>).", void 0, void 0, challenge);
    const hash = sha256Hex(match[1]);
    let grant = grants.get(hash);
    if (grant === void 0) {
      grant = await store2.findToken(hash);
      if (grant) grants.set(hash, grant);
    }
    if (!grant) throw new ApiError("unauthorized", "The bearer token is not valid.", void 0, void 0, challenge);
    return { grant, hash };
  }
  async function answer(request, url) {
    if (!url.pathname.startsWith(basePath)) throw new ApiError("not_found", "No such route.");
    const path = url.pathname.slice(basePath.length) || "/";
    const route = findRoute(path, request.method);
    if (!route) throw new ApiError("not_found", `No route ${request.method} ${path.slice(0, 100)}.`);
    const { grant, hash } = await authenticate(request);
    if (!grant.scopes.includes(route.scope)) throw new ApiError("forbidden", `This token lacks the ${route.scope} scope.`);
    if (limiter) {
      const wait = limiter.take(hash, now());
      if (wait > 0) throw new ApiError("rate_limited", "Too many requests; retry later.", void 0, void 0, { "retry-after": String(wait) });
    }
    return route.run({ store: store2, orgId: grant.orgId, request, url, asOf: now(), now, options });
  }
  return async function handle(request) {
    const origin = request.headers.get("origin");
    const cors = origin !== null && origins.has(origin) ? { "access-control-allow-origin": origin, vary: "Origin" } : null;
    if (request.method === "OPTIONS") {
      return new Response(null, { status: 204, headers: cors ? { ...cors, ...CORS_HEADERS } : {} });
    }
    let response;
    try {
      const url = new URL(request.url);
      if (url.search.length - 1 > LIMITS.maxQueryLength * 3) {
        throw new ApiError("bad_parameter", `The query string is longer than ${LIMITS.maxQueryLength.toLocaleString("en-US")} characters.`, "query");
      }
      response = await answer(request, url);
    } catch (error) {
      if (error instanceof ApiError) {
        response = errorResponse(error);
      } else {
        options.onError?.(error, request);
        response = json(500, { error: { code: "internal", message: "The server failed to answer this request." } });
      }
    }
    if (cors) {
      for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
      response.headers.set("access-control-expose-headers", CORS_HEADERS["access-control-expose-headers"]);
    }
    return response;
  };
}
var ROUTES, CORS_HEADERS, RateLimiter;
var init_handler = __esm({
  "server/handler/handler.ts"() {
    "use strict";
    init_contract();
    init_errors();
    init_sha256();
    init_http();
    init_charts();
    init_directory();
    init_events();
    init_ingest();
    init_stream();
    ROUTES = {
      "/events": { GET: { scope: "read", run: getEvents }, POST: { scope: "ingest", run: postEvents } },
      "/events.csv": { GET: { scope: "read", run: getEventsCsv } },
      "/events/stream": { GET: { scope: "read", run: getStream } },
      "/consumption": { GET: { scope: "read", run: getConsumption } },
      "/surplus": { GET: { scope: "read", run: getSurplus } },
      "/users": { GET: { scope: "read", run: getUsers } },
      "/endpoints": { GET: { scope: "read", run: getEndpoints } },
      "/limits": { GET: { scope: "read", run: getLimits } }
    };
    CORS_HEADERS = {
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "Authorization, Content-Type, Idempotency-Key, Last-Event-ID",
      "access-control-expose-headers": "Retry-After, Content-Disposition, Idempotent-Replayed",
      "access-control-max-age": "600"
    };
    RateLimiter = class {
      constructor(perSecond, burst) {
        this.perSecond = perSecond;
        this.burst = burst;
      }
      #buckets = /* @__PURE__ */ new Map();
      /** 0 when allowed, else the seconds to wait. */
      take(key, now) {
        const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
        bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) / 1e3 * this.perSecond);
        bucket.at = now;
        this.#buckets.set(key, bucket);
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          return 0;
        }
        return Math.ceil((1 - bucket.tokens) / this.perSecond);
      }
    };
  }
});

// server/domain/windows.ts
function upperBound(sorted, value) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
var MINUTE5, MINUTES_PER_HOUR, MinuteSums, UserSeries, UsageWindows;
var init_windows = __esm({
  "server/domain/windows.ts"() {
    "use strict";
    init_contract();
    MINUTE5 = 6e4;
    MINUTES_PER_HOUR = 60;
    MinuteSums = class {
      #minutes = /* @__PURE__ */ new Map();
      #hours = /* @__PURE__ */ new Map();
      /** The last range summed and its total (kept current by `add`), or null. */
      #last = null;
      add(minute, value) {
        if (value === 0) return;
        this.#minutes.set(minute, (this.#minutes.get(minute) ?? 0) + value);
        const hour = Math.floor(minute / MINUTES_PER_HOUR);
        this.#hours.set(hour, (this.#hours.get(hour) ?? 0) + value);
        const last = this.#last;
        if (last && minute >= last.first && minute <= last.last) last.total += value;
      }
      get(minute) {
        return this.#minutes.get(minute) ?? 0;
      }
      /** Σ over minute indexes `[first, last]`. */
      sum(first, last) {
        const known = this.#last;
        let total;
        if (known && first >= known.first && last >= known.last && first <= known.last + 1) {
          total = known.total - this.#sum(known.first, first - 1) + this.#sum(known.last + 1, last);
        } else {
          total = this.#sum(first, last);
        }
        this.#last = { first, last, total };
        return total;
      }
      #sum(first, last) {
        let total = 0;
        let m = first;
        while (m <= last) {
          if (m % MINUTES_PER_HOUR === 0 && m + MINUTES_PER_HOUR - 1 <= last) {
            total += this.#hours.get(m / MINUTES_PER_HOUR) ?? 0;
            m += MINUTES_PER_HOUR;
          } else {
            total += this.#minutes.get(m) ?? 0;
            m += 1;
          }
        }
        return total;
      }
      /** The first minute index in `[first, last]` with a value, or null. */
      firstWithValue(first, last) {
        let m = first;
        while (m <= last) {
          if (m % MINUTES_PER_HOUR === 0 && !this.#hours.get(m / MINUTES_PER_HOUR)) {
            m += MINUTES_PER_HOUR;
            continue;
          }
          if (this.#minutes.get(m)) return m;
          m += 1;
        }
        return null;
      }
      /** Forgets minutes before `minute`. */
      prune(minute) {
        if (this.#last && this.#last.first < minute) this.#last = null;
        for (const key of this.#minutes.keys()) if (key < minute) this.#minutes.delete(key);
        const hour = Math.floor(minute / MINUTES_PER_HOUR);
        for (const key of this.#hours.keys()) if (key < hour) this.#hours.delete(key);
      }
    };
    UserSeries = class {
      #times = [];
      #base = [];
      #surplus = [];
      /** #basePrefix[i] = Σ base parts of the entries before i (length = entries + 1). */
      #basePrefix = [0];
      #surplusPrefix = [0];
      add(created, base, surplus) {
        const at = upperBound(this.#times, created);
        if (at === this.#times.length) {
          this.#times.push(created);
          this.#base.push(base);
          this.#surplus.push(surplus);
          this.#basePrefix.push(this.#basePrefix[at] + base);
          this.#surplusPrefix.push(this.#surplusPrefix[at] + surplus);
          return;
        }
        this.#times.splice(at, 0, created);
        this.#base.splice(at, 0, base);
        this.#surplus.splice(at, 0, surplus);
        this.#basePrefix.length = at + 1;
        this.#surplusPrefix.length = at + 1;
        for (let i = at; i < this.#times.length; i++) {
          this.#basePrefix.push(this.#basePrefix[i] + this.#base[i]);
          this.#surplusPrefix.push(this.#surplusPrefix[i] + this.#surplus[i]);
        }
      }
      /** Σ base, Σ surplus and the oldest instant over `(from, to]`. */
      window(from, to) {
        const lo = upperBound(this.#times, from);
        const hi = upperBound(this.#times, to);
        return {
          base: this.#basePrefix[hi] - this.#basePrefix[lo],
          surplus: this.#surplusPrefix[hi] - this.#surplusPrefix[lo],
          oldest: lo < hi ? this.#times[lo] : null
        };
      }
      /** Forgets entries at or before `before`; true when nothing is left. */
      prune(before) {
        const cut = upperBound(this.#times, before);
        if (cut > 0) {
          this.#times.splice(0, cut);
          this.#base.splice(0, cut);
          this.#surplus.splice(0, cut);
          this.#basePrefix.splice(0, cut);
          this.#surplusPrefix.splice(0, cut);
        }
        return this.#times.length === 0;
      }
    };
    UsageWindows = class {
      #users = /* @__PURE__ */ new Map();
      #drawn = /* @__PURE__ */ new Map();
      #amount = /* @__PURE__ */ new Map();
      #minuteSums(map, type) {
        let sums3 = map.get(type);
        if (!sums3) {
          sums3 = new MinuteSums();
          map.set(type, sums3);
        }
        return sums3;
      }
      /** Records a classified event. */
      add(userId, type, created, amount, surplusAmount) {
        const key = `${type}\0${userId}`;
        let series = this.#users.get(key);
        if (!series) {
          series = new UserSeries();
          this.#users.set(key, series);
        }
        series.add(created, amount - surplusAmount, surplusAmount);
        const minute = Math.floor(created / MINUTE5);
        this.#minuteSums(this.#drawn, type).add(minute, surplusAmount);
        this.#minuteSums(this.#amount, type).add(minute, amount);
      }
      #span(t) {
        const minute = Math.floor(t / MINUTE5);
        return { minute, poolFirst: minute - LIMITS.windowMs / MINUTE5 + 1, weekFirst: minute - LIMITS.weekMs / MINUTE5 + 1 };
      }
      /** The sums at instant `t` for a user and resource type. */
      read(userId, type, t) {
        const user = this.#users.get(`${type}\0${userId}`)?.window(t - LIMITS.windowMs, t);
        const { minute, poolFirst, weekFirst } = this.#span(t);
        return {
          userBase: user?.base ?? 0,
          userSurplus: user?.surplus ?? 0,
          poolDrawn: this.#minuteSums(this.#drawn, type).sum(poolFirst, minute),
          weekUsed: this.#minuteSums(this.#amount, type).sum(weekFirst, minute)
        };
      }
      /** The oldest consumption in each window at `t` (only a refusal needs it). */
      oldest(userId, type, t) {
        const { minute, poolFirst, weekFirst } = this.#span(t);
        const pool = this.#minuteSums(this.#drawn, type).firstWithValue(poolFirst, minute);
        const week = this.#minuteSums(this.#amount, type).firstWithValue(weekFirst, minute);
        return {
          user: this.#users.get(`${type}\0${userId}`)?.window(t - LIMITS.windowMs, t).oldest ?? null,
          pool: pool === null ? null : pool * MINUTE5,
          week: week === null ? null : week * MINUTE5
        };
      }
      /** Forgets what no classification at or after `t` can read. */
      prune(t) {
        const userCut = t - LIMITS.windowMs;
        for (const [key, series] of this.#users) if (series.prune(userCut)) this.#users.delete(key);
        const minuteCut = Math.floor((t - LIMITS.weekMs) / MINUTE5);
        for (const sums3 of this.#drawn.values()) sums3.prune(minuteCut);
        for (const sums3 of this.#amount.values()) sums3.prune(minuteCut);
      }
    };
  }
});

// server/seed/prng.ts
var Random, WeightedPicker;
var init_prng = __esm({
  "server/seed/prng.ts"() {
    "use strict";
    Random = class {
      #a;
      #b;
      #c;
      #d;
      constructor(seed) {
        const text = String(seed);
        let h1 = 1779033703;
        let h2 = 3144134277;
        let h3 = 1013904242;
        let h4 = 2773480762;
        for (let i = 0; i < text.length; i++) {
          const k = text.charCodeAt(i);
          h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
          h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
          h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
          h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
        }
        this.#a = h1 >>> 0;
        this.#b = h2 >>> 0;
        this.#c = h3 >>> 0;
        this.#d = h4 >>> 0;
        for (let i = 0; i < 12; i++) this.next();
      }
      /** Uniform in [0, 1). */
      next() {
        const t = (this.#a + this.#b | 0) + this.#d | 0;
        this.#d = this.#d + 1 | 0;
        this.#a = this.#b ^ this.#b >>> 9;
        this.#b = this.#c + (this.#c << 3) | 0;
        this.#c = this.#c << 21 | this.#c >>> 11;
        this.#c = this.#c + t | 0;
        return (t >>> 0) / 4294967296;
      }
      between(min, max) {
        return min + (max - min) * this.next();
      }
      int(min, maxInclusive) {
        return Math.floor(this.between(min, maxInclusive + 1));
      }
      chance(p) {
        return this.next() < p;
      }
      pick(items) {
        return items[Math.floor(this.next() * items.length)];
      }
      /** Standard normal (Box–Muller). */
      normal() {
        const u = 1 - this.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
      }
      /** Log-normal with the given median. */
      logNormal(median, sigma) {
        return median * Math.exp(sigma * this.normal());
      }
      /** Pareto with minimum 1: a heavy tail. */
      pareto(alpha) {
        return (1 - this.next()) ** (-1 / alpha);
      }
      /** `length` characters from an alphabet. */
      token(length, alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
        let out = "";
        for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
        return out;
      }
    };
    WeightedPicker = class {
      #cumulative;
      constructor(weights) {
        this.#cumulative = new Float64Array(weights.length);
        let sum = 0;
        weights.forEach((w, i) => {
          sum += w;
          this.#cumulative[i] = sum;
        });
      }
      pick(random) {
        const target = random.next() * this.#cumulative[this.#cumulative.length - 1];
        let lo = 0;
        let hi = this.#cumulative.length - 1;
        while (lo < hi) {
          const mid = lo + hi >> 1;
          if (this.#cumulative[mid] > target) hi = mid;
          else lo = mid + 1;
        }
        return lo;
      }
    };
  }
});

// server/seed/catalog.ts
var FIRST_NAMES, LAST_NAMES, SERVICE_ACCOUNTS, ENDPOINTS, TYPE_SHARE;
var init_catalog = __esm({
  "server/seed/catalog.ts"() {
    "use strict";
    FIRST_NAMES = [
      "Ada",
      "Aiko",
      "Amara",
      "Anders",
      "Ana",
      "Bilal",
      "Bj\xF6rn",
      "Camille",
      "Chen",
      "Chiara",
      "Dmitri",
      "Elena",
      "\xC9mile",
      "Farah",
      "Fatima",
      "Felipe",
      "Grace",
      "Hana",
      "Hiroshi",
      "Ingrid",
      "Ines",
      "Jamal",
      "Jos\xE9",
      "Jonas",
      "Kai",
      "Karim",
      "Lars",
      "Leila",
      "Liam",
      "\u0141ukasz",
      "Mahmoud",
      "Maja",
      "Mateo",
      "Mei",
      "Mia",
      "Nadia",
      "Noah",
      "Nkechi",
      "Olga",
      "Omar",
      "Paulo",
      "Priya",
      "Rafael",
      "Ravi",
      "Rosa",
      "Sakura",
      "Samuel",
      "Sofia",
      "S\xF8ren",
      "Tariq",
      "Thandiwe",
      "Tom\xE1s",
      "Uma",
      "Valentina",
      "Wei",
      "Xavier",
      "Yara",
      "Yusuf",
      "Zo\xEB",
      "Zanele"
    ];
    LAST_NAMES = [
      "Abe",
      "Adeyemi",
      "Almeida",
      "Andersson",
      "Bauer",
      "Bianchi",
      "Castillo",
      "Chowdhury",
      "Costa",
      "Dubois",
      "Eriksen",
      "Fern\xE1ndez",
      "Fischer",
      "Garc\xEDa",
      "Gupta",
      "Haddad",
      "Hansen",
      "Ito",
      "Ivanova",
      "Jensen",
      "Kim",
      "Kowalski",
      "Kumar",
      "Larsen",
      "Lef\xE8vre",
      "Li",
      "L\xF3pez",
      "Mensah",
      "Moreau",
      "M\xFCller",
      "Nakamura",
      "Nguyen",
      "Nov\xE1k",
      "Okafor",
      "Olsen",
      "Park",
      "Patel",
      "Pereira",
      "Petrov",
      "Quispe",
      "Rossi",
      "Sato",
      "Schmidt",
      "Silva",
      "Singh",
      "Smith",
      "Suzuki",
      "Tanaka",
      "Tran",
      "Van Dijk",
      "Wang",
      "Weber",
      "W\xF3jcik",
      "Yamamoto",
      "Yilmaz",
      "Zhang",
      "Zieli\u0144ski"
    ];
    SERVICE_ACCOUNTS = ["svc-batch-summarizer", "svc-doc-ingest", "svc-support-bot", "svc-nightly-eval", "svc-search-indexer"];
    ENDPOINTS = [
      { endpoint: "/v1/chat/completions", resourceType: "tokens", weight: 46, io: "pair", median: 1100, sigma: 1, outputRatio: 0.35 },
      { endpoint: "/v1/responses", resourceType: "tokens", weight: 22, io: "pair", median: 1600, sigma: 1.1, outputRatio: 0.4 },
      { endpoint: "/v1/completions", resourceType: "tokens", weight: 6, io: "pair", median: 700, sigma: 0.9, outputRatio: 0.5 },
      { endpoint: "/v1/embeddings", resourceType: "tokens", weight: 14, io: "input", median: 2400, sigma: 1.2 },
      { endpoint: "/v1/batches", resourceType: "tokens", weight: 3, io: "pair", median: 18e3, sigma: 1, outputRatio: 0.3 },
      { endpoint: "/v1/audio/transcriptions", resourceType: "tokens", weight: 4, io: "output", median: 900, sigma: 0.8 },
      { endpoint: "/v1/assistants/runs", resourceType: "tokens", weight: 5, io: "pair", median: 2800, sigma: 1, outputRatio: 0.3 },
      { endpoint: "/v1/files", resourceType: "storage", weight: 60, io: "mixed", median: 18e5, sigma: 1.5 },
      { endpoint: "/v1/vector_stores/files", resourceType: "storage", weight: 40, io: "input", median: 35e4, sigma: 1.3 },
      { endpoint: "/v1/ocr/documents", resourceType: "ocr", weight: 75, io: "input", median: 4, sigma: 1 },
      { endpoint: "/v1/ocr/receipts", resourceType: "ocr", weight: 25, io: "mixed", median: 1.5, sigma: 0.6 }
    ];
    TYPE_SHARE = { tokens: 0.86, storage: 0.07, ocr: 0.07 };
  }
});

// server/seed/traffic.ts
function logNormalMean(median, sigma) {
  return median * Math.exp(sigma * sigma / 2);
}
function shapeMean(shape) {
  const input = logNormalMean(shape.median, shape.sigma);
  return shape.io === "pair" ? input * (1 + (shape.outputRatio ?? 0) * Math.exp(0.125)) : input;
}
function meanPerRequest(type) {
  const shapes = ENDPOINTS.filter((s) => s.resourceType === type);
  const total = shapes.reduce((sum, s) => sum + s.weight, 0);
  return shapes.reduce((sum, s) => sum + s.weight / total * shapeMean(s), 0);
}
var MINUTE6, HOUR2, DAY4, WEEKDAY_FACTOR, EVENTS_PER_REQUEST, TrafficModel;
var init_traffic = __esm({
  "server/seed/traffic.ts"() {
    "use strict";
    init_contract();
    init_catalog();
    init_prng();
    MINUTE6 = 6e4;
    HOUR2 = 36e5;
    DAY4 = 864e5;
    WEEKDAY_FACTOR = [1, 1.06, 1.08, 1.03, 0.88, 0.3, 0.24];
    EVENTS_PER_REQUEST = RESOURCE_TYPES.reduce((sum, type) => {
      const shapes = ENDPOINTS.filter((s) => s.resourceType === type);
      const total = shapes.reduce((acc, s) => acc + s.weight, 0);
      return sum + TYPE_SHARE[type] * shapes.reduce((acc, s) => acc + s.weight / total * (s.io === "pair" ? 2 : 1), 0);
    }, 0);
    TrafficModel = class {
      constructor(spec) {
        this.spec = spec;
        const random = new Random(`${spec.seed}:users`);
        const taken = /* @__PURE__ */ new Set();
        this.profiles = [];
        const services = SERVICE_ACCOUNTS.slice(0, Math.max(1, Math.round(spec.users / 80)));
        for (const id of services) {
          this.profiles.push({ user: { id }, weight: random.between(15, 40), dipper: random.chance(0.5) });
          taken.add(id);
        }
        while (this.profiles.length < spec.users) {
          const first = random.pick(FIRST_NAMES);
          const last = random.pick(LAST_NAMES);
          const id = `u_${random.token(8, "0123456789abcdefghijklmnopqrstuvwxyz")}`;
          if (taken.has(id)) continue;
          taken.add(id);
          const local = `${first}.${last}`.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z.]/g, "").toLowerCase();
          const user = { id, name: `${first} ${last}` };
          if (!random.chance(0.04)) user.email = `${local}${random.chance(0.3) ? random.int(2, 99) : ""}@${spec.domain}`;
          this.profiles.push({ user, weight: Math.min(random.pareto(1.16), 60), dipper: random.chance(0.12) });
        }
        this.#picker = new WeightedPicker(this.profiles.map((p) => p.weight));
        for (const type of RESOURCE_TYPES) {
          const shapes = ENDPOINTS.filter((s) => s.resourceType === type);
          this.#shapes.set(type, { shapes, picker: new WeightedPicker(shapes.map((s) => s.weight)) });
        }
      }
      #picker;
      #days = /* @__PURE__ */ new Map();
      #typePicker = new WeightedPicker(RESOURCE_TYPES.map((t) => TYPE_SHARE[t]));
      #shapes = /* @__PURE__ */ new Map();
      #day(dayIndex) {
        let plan = this.#days.get(dayIndex);
        if (!plan) {
          const random = new Random(`${this.spec.seed}:day:${dayIndex}`);
          const noise = random.between(0.85, 1.15);
          let spike = null;
          if (random.chance(0.13)) {
            const start = dayIndex * DAY4 + random.between(8.5, 16) * HOUR2;
            const team = random.chance(0.5);
            spike = {
              start,
              end: start + random.between(1.5, 4) * HOUR2,
              factor: team ? random.between(4.5, 7) : random.between(3, 6),
              kind: team ? "team" : "job",
              user: this.#picker.pick(random)
            };
          }
          plan = { noise, spike };
          this.#days.set(dayIndex, plan);
        }
        return plan;
      }
      #local(t) {
        return t + this.spec.utcOffsetHours * HOUR2;
      }
      /** The relative request rate at an instant (1 ≈ a busy weekday hour). */
      weight(t) {
        const local = this.#local(t);
        const dayIndex = Math.floor(local / DAY4);
        const hour = (local - dayIndex * DAY4) / HOUR2;
        const weekday = (dayIndex + 3) % 7;
        const curve = 0.08 + 0.92 * Math.max(Math.exp(-(((hour - 10.5) / 2.2) ** 2)), 0.85 * Math.exp(-(((hour - 15) / 2.4) ** 2)));
        const plan = this.#day(dayIndex);
        const spike = plan.spike && local >= plan.spike.start && local < plan.spike.end ? plan.spike.factor : 1;
        return curve * WEEKDAY_FACTOR[weekday] * plan.noise * spike;
      }
      /** Σ weight over the minutes of `[from, to)` (a last minute cut short by `to` counts in part). */
      weightBetween(from, to) {
        let sum = 0;
        for (let m = Math.ceil(from / MINUTE6) * MINUTE6; m < to; m += MINUTE6) sum += this.#minuteWeight(m, to);
        return sum;
      }
      /** The weight of the minute starting at `m`, in proportion to how much of it lies before `to`. */
      #minuteWeight(m, to) {
        return this.weight(m) * Math.min(MINUTE6, to - m) / MINUTE6;
      }
      /** Request instants over `[from, to)` in ascending order, in proportion to the rhythm. */
      plan(from, to, requests, random) {
        const first = Math.ceil(from / MINUTE6) * MINUTE6;
        const total = this.weightBetween(from, to);
        const out = new Float64Array(Math.max(0, Math.round(requests)));
        if (total === 0 || out.length === 0) return out.subarray(0, 0);
        let m = first;
        let before = 0;
        let w = this.#minuteWeight(m, to);
        for (let i = 0; i < out.length; i++) {
          const target = (i + random.next()) / out.length * total;
          while (before + w < target && m + MINUTE6 < to) {
            before += w;
            m += MINUTE6;
            w = this.#minuteWeight(m, to);
          }
          const span = Math.min(MINUTE6, to - m);
          out[i] = m + Math.floor(Math.min(1, Math.max(0, (target - before) / w)) * (span - 1));
        }
        return out;
      }
      /** Who makes a request at `t`: a batch job's owner during its spike, else by activity. */
      pickUser(t, random) {
        const local = this.#local(t);
        const spike = this.#day(Math.floor(local / DAY4)).spike;
        if (spike && spike.kind === "job" && local >= spike.start && local < spike.end && random.chance(1 - 1 / spike.factor)) return spike.user;
        return this.#picker.pick(random);
      }
      /** One request's events: a pair (input, output a moment later) or a single event. */
      request(t, user, random) {
        const type = RESOURCE_TYPES[this.#typePicker.pick(random)];
        const { shapes, picker } = this.#shapes.get(type);
        const shape = shapes[picker.pick(random)];
        const userId = this.profiles[user].user.id;
        const requestId = `req_${random.token(24)}`;
        const input = Math.max(1, Math.round(random.logNormal(shape.median, shape.sigma)));
        const base = { userId, resourceType: type, requestId, endpoint: shape.endpoint };
        if (shape.io === "pair") {
          const output = Math.max(1, Math.round(input * (shape.outputRatio ?? 0.3) * random.logNormal(1, 0.5)));
          const latency = Math.min(6e4, Math.round(400 + random.logNormal(1800, 0.8)));
          return [
            { ...base, amount: input, ioType: "input", created: t },
            { ...base, amount: output, ioType: "output", created: t + latency }
          ];
        }
        const ioType = shape.io === "mixed" ? random.chance(0.7) ? "input" : "output" : shape.io;
        return [{ ...base, amount: input, ioType, created: t }];
      }
      /**
       * Limits sized from the expected traffic at `requestsPerWeight` requests per unit of
       * weight and minute: most users well inside their base budget, dippers below their busy
       * hours, the pool about 30% of the summed surplus allowances; a few changes on the way,
       * so that limits carry their effective instants.
       */
      limits(requestsPerWeight, start, random = new Random(`${this.spec.seed}:limits`)) {
        const totalWeight = this.profiles.reduce((sum, p) => sum + p.weight, 0);
        const surplusSum = { tokens: 0, storage: 0, ocr: 0 };
        const users = /* @__PURE__ */ new Map();
        for (const profile of this.profiles) {
          const versions = [];
          for (const type of RESOURCE_TYPES) {
            const mean = meanPerRequest(type);
            const busy = profile.weight / totalWeight * requestsPerWeight * 0.9 * 240 * TYPE_SHARE[type] * mean;
            const factor = profile.dipper ? random.between(0.35, 0.75) : random.between(1, 2.2);
            const basePer4h = Math.round(Math.max(busy * factor, mean));
            const surplusPer4h = Math.round(Math.max(busy * factor * random.between(0.5, 1), 0.1 * mean));
            surplusSum[type] += surplusPer4h;
            versions.push({ resourceType: type, effectiveFrom: start, basePer4h, surplusPer4h });
            if (profile.dipper && type === "tokens" && random.chance(0.25)) {
              versions.push({ resourceType: type, effectiveFrom: start + 60 * DAY4, basePer4h: Math.round(basePer4h * 1.5), surplusPer4h });
            }
          }
          users.set(profile.user.id, versions);
        }
        const weekRequests = requestsPerWeight * this.#meanWeight() * 7 * 1440;
        const capacity = (scale) => Object.fromEntries(RESOURCE_TYPES.map((type) => [type, Math.round(surplusSum[type] * 0.3 * scale)]));
        const base = {
          weeklyTokenLimit: Math.round(weekRequests * TYPE_SHARE.tokens * meanPerRequest("tokens") * 1.6),
          storageLimit: Math.round(weekRequests * TYPE_SHARE.storage * meanPerRequest("storage") * 1.8)
        };
        return {
          organization: [
            { effectiveFrom: start, ...base, surplusCapacity: capacity(1) },
            { effectiveFrom: start + 45 * DAY4, ...base, surplusCapacity: capacity(1.15) }
          ],
          users
        };
      }
      #meanWeight() {
        let sum = 0;
        let n = 0;
        for (let t = 0; t < 14 * DAY4; t += 10 * MINUTE6) {
          sum += this.weight(Date.UTC(2024, 0, 1) + t);
          n++;
        }
        return sum / n;
      }
    };
  }
});

// server/seed/seed.ts
function scaledSpec(spec, events) {
  const users = Math.max(Math.min(spec.users, 15), Math.min(spec.users, Math.round(events / 2500 * spec.users / 420)));
  return { ...spec, users: Math.max(users, spec === DEMO_ORG ? 60 : 15) };
}
function requestRate(model, events, from, to) {
  return events / EVENTS_PER_REQUEST / Math.max(1, model.weightBetween(from, to));
}
async function generateTraffic(store2, model, options) {
  const { from, to } = options;
  const random = options.random ?? new Random(`${model.spec.seed}:traffic:${from}`);
  const windows = new UsageWindows();
  const strict = options.strict ?? true;
  const source = {
    windows,
    organizationLimits: options.organizationLimits,
    userLimits: (userId) => options.userLimits.get(userId)
  };
  const times = model.plan(from, to, options.requestsPerWeight * model.weightBetween(from, to), random);
  const pending = [];
  let batch = [];
  let written = 0;
  let sincePrune = 0;
  const write = async () => {
    if (!batch.length) return;
    const outcome = await store2.ingest(model.spec.orgId, batch);
    const refused = outcome.kind === "stored" ? outcome.results.filter((r) => "error" in r).length : batch.length;
    if (refused && strict) throw new Error(`The store refused ${refused} seeded events its own classification accepted.`);
    written += batch.length - refused;
    batch = [];
    options.onProgress?.(written);
  };
  const emit = async (item) => {
    const outcome = classifyItem(source, item);
    if ("error" in outcome) {
      const details = outcome.error.details;
      return details ? details.baseLeft + details.surplusLeft : 0;
    }
    batch.push(item);
    if (++sincePrune >= 5e4) {
      sincePrune = 0;
      windows.prune(item.created - 2 * DAY5);
    }
    if (batch.length >= BATCH) await write();
    return -1;
  };
  const flushPending = async (until) => {
    while (pending.length && pending[0].created <= until) await emit(pending.shift());
  };
  for (const t of times) {
    await flushPending(t);
    let user = model.pickUser(t, random);
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      const [first, ...rest] = model.request(t, user, random);
      let left = await emit(first);
      if (left > 0 && random.chance(0.5)) left = await emit({ ...first, amount: left });
      if (left < 0) {
        for (const later of rest) {
          if (later.created >= to) continue;
          const at = pending.findIndex((p) => p.created > later.created);
          pending.splice(at < 0 ? pending.length : at, 0, later);
        }
        break;
      }
      user = model.pickUser(t, random);
    }
  }
  await flushPending(to - 1);
  await write();
  return written;
}
async function setUpOrganization(store2, model, limits, tokens) {
  const orgId = model.spec.orgId;
  await store2.putOrganization({ id: orgId, name: model.spec.name });
  for (const version of limits.organization) await store2.setOrganizationLimits(orgId, version);
  await store2.putUsers(
    orgId,
    model.profiles.map((p) => p.user)
  );
  for (const [userId, versions] of limits.users) await store2.setUserLimits(orgId, userId, versions);
  await store2.putToken(sha256Hex(tokens.read), { orgId, scopes: ["read"] });
  await store2.putToken(sha256Hex(tokens.ingest), { orgId, scopes: ["read", "ingest"] });
}
async function seedDemo(store2, options) {
  const now = options.now ?? Date.now();
  const days = options.days ?? 90;
  const events = options.events ?? 1e6;
  const from = Math.floor((now - days * DAY5) / HOUR3) * HOUR3;
  const counts = [];
  for (const [spec, share, tokens] of [
    [DEMO_ORG, 1, { read: options.tokens.demoRead, ingest: options.tokens.demoIngest }],
    [OTHER_ORG, OTHER_SHARE, { read: options.tokens.otherRead, ingest: options.tokens.otherIngest }]
  ]) {
    const model = new TrafficModel(spec === DEMO_ORG && options.users ? { ...spec, users: options.users } : scaledSpec(spec, events));
    const rate = requestRate(model, Math.max(200, Math.round(events * share)), from, now);
    const limits = model.limits(rate, from - DAY5);
    await setUpOrganization(store2, model, limits, tokens);
    counts.push(
      await generateTraffic(store2, model, {
        from,
        to: now,
        requestsPerWeight: rate,
        organizationLimits: limits.organization,
        userLimits: limits.users,
        ...spec === DEMO_ORG && options.onProgress ? { onProgress: options.onProgress } : {}
      })
    );
  }
  return { demoEvents: counts[0], otherEvents: counts[1] };
}
var DAY5, HOUR3, BATCH, RETRIES, DEMO_ORG, OTHER_ORG, OTHER_SHARE;
var init_seed = __esm({
  "server/seed/seed.ts"() {
    "use strict";
    init_classification();
    init_sha256();
    init_windows();
    init_prng();
    init_traffic();
    DAY5 = 864e5;
    HOUR3 = 36e5;
    BATCH = 5e3;
    RETRIES = 3;
    DEMO_ORG = {
      orgId: "org_demo",
      name: "Northwind Research",
      seed: "northwind",
      users: 420,
      domain: "northwind.example",
      utcOffsetHours: 1
    };
    OTHER_ORG = {
      orgId: "org_other",
      name: "Globex Labs",
      seed: "globex",
      users: 40,
      domain: "globex.example",
      utcOffsetHours: -5
    };
    OTHER_SHARE = 0.05;
  }
});

// server/seed/demo.ts
var DEMO_TOKEN, DEMO_INGEST_TOKEN, OTHER_ORG_TOKEN, OTHER_ORG_INGEST_TOKEN;
var init_demo = __esm({
  "server/seed/demo.ts"() {
    "use strict";
    DEMO_TOKEN = "demo-read-token";
    DEMO_INGEST_TOKEN = "demo-ingest-token";
    OTHER_ORG_TOKEN = "other-org-read-token";
    OTHER_ORG_INGEST_TOKEN = "other-org-ingest-token";
  }
});

// server/store/postgres/slices.ts
function ceilTo(value, grain) {
  return value === null ? null : Math.ceil(value / grain) * grain;
}
function floorTo(value, grain) {
  return value === null ? null : Math.floor(value / grain) * grain;
}
function nonEmpty(from, to) {
  return from === null || to === null || from < to;
}
function sliceParts(query, params, from, to) {
  const maxId = params.add(query.maxId);
  const parts = [];
  const cover = (a, b, tierIndex) => {
    if (!nonEmpty(a, b)) return;
    const tier = query.tiers[tierIndex];
    if (!tier) {
      parts.push(query.events(a, b, `id <= ${maxId}`, ""));
      return;
    }
    const innerFrom = ceilTo(a, tier.grain);
    const innerTo = floorTo(b, tier.grain);
    if (!nonEmpty(innerFrom, innerTo)) {
      cover(a, b, tierIndex + 1);
      return;
    }
    parts.push(tier.sql(innerFrom, innerTo));
    parts.push(query.events(innerFrom, innerTo, `id > ${maxId}`, "-"));
    if (a !== null && innerFrom !== null && a < innerFrom) cover(a, innerFrom, tierIndex + 1);
    if (b === null || innerTo === null || innerTo >= b) return;
    const unit = UNIT[tier.grain];
    if (query.eventsByUnit && unit && tierIndex === query.tiers.length - 1) {
      const end = innerTo + tier.grain;
      parts.push(tier.sql(innerTo, end));
      parts.push(query.eventsByUnit(innerTo, end, `id > ${maxId}`, "-", unit));
      parts.push(query.eventsByUnit(b, end, `id <= ${maxId}`, "-", unit));
    } else {
      cover(innerTo, b, tierIndex + 1);
    }
  };
  cover(from, to, 0);
  return parts;
}
function timeRange(column, from, to, params) {
  let sql8 = "";
  if (from !== null) sql8 += ` and ${column} >= ${params.add(new Date(from).toISOString(), "timestamptz")}`;
  if (to !== null) sql8 += ` and ${column} < ${params.add(new Date(to).toISOString(), "timestamptz")}`;
  return sql8;
}
var HOUR4, DAY6, UNIT;
var init_slices = __esm({
  "server/store/postgres/slices.ts"() {
    "use strict";
    HOUR4 = 36e5;
    DAY6 = 24 * HOUR4;
    UNIT = { [HOUR4]: "hour", [DAY6]: "day" };
  }
});

// server/store/postgres/sql.ts
function codes(names) {
  const sorted = [...names].sort();
  const index = new Map(sorted.map((name, i) => [name, i]));
  return {
    code: (name) => index.get(name),
    name: (code) => {
      const name = sorted[code];
      if (name === void 0) throw new Error(`Unknown code ${code} in the events table.`);
      return name;
    }
  };
}
function toEvent(row) {
  return {
    id: String(row.id),
    created: row.created.toISOString(),
    userId: row.user_id,
    amount: row.amount,
    resourceType: resourceTypes.name(row.resource_type),
    poolCategory: poolCategories.name(row.pool_category),
    ioType: ioTypes.name(row.io_type),
    requestId: row.request_id,
    endpoint: row.endpoint,
    surplusAmount: row.surplus_amount
  };
}
function toTimestamp(ms) {
  return new Date(ms).toISOString();
}
function inList2(column, values, params, cast) {
  return values.length === 1 ? `${column} = ${params.add(values[0])}` : `${column} = any(${params.add(values, `${cast}[]`)})`;
}
function whereClause(orgId, filter, params, parts) {
  const conditions2 = [`org_id = ${params.add(orgId)}`];
  const need = (column) => {
    if (!parts.columns.has(column)) throw new Error(`This table cannot filter on ${column}.`);
  };
  if (parts.maxId && filter.maxId !== void 0) conditions2.push(`id <= ${params.add(filter.maxId)}`);
  if (parts.time && filter.from !== void 0) conditions2.push(`${parts.time} >= ${params.add(toTimestamp(filter.from), "timestamptz")}`);
  if (parts.time && filter.to !== void 0) conditions2.push(`${parts.time} < ${params.add(toTimestamp(filter.to), "timestamptz")}`);
  if (filter.resourceType !== void 0) conditions2.push(`resource_type = ${params.add(resourceTypes.code(filter.resourceType))}`);
  if (filter.userIds?.length) {
    need("user_id");
    conditions2.push(inList2("user_id", filter.userIds, params, "text"));
  }
  if (filter.endpoints?.length) {
    need("endpoint");
    conditions2.push(inList2("endpoint", filter.endpoints, params, "text"));
  }
  if (filter.poolCategories?.length) {
    need("pool_category");
    conditions2.push(inList2("pool_category", filter.poolCategories.map(poolCategories.code), params, "int2"));
    if (parts.columns === EVENT_FILTER_COLUMNS && !filter.poolCategories.includes("allocated")) conditions2.push("surplus_amount > 0");
  }
  if (filter.ioTypes?.length) {
    need("io_type");
    conditions2.push(inList2("io_type", filter.ioTypes.map(ioTypes.code), params, "int2"));
  }
  if (filter.amountMin !== void 0) {
    need("amount");
    conditions2.push(`amount >= ${params.add(filter.amountMin)}`);
  }
  if (filter.amountMax !== void 0) {
    need("amount");
    conditions2.push(`amount <= ${params.add(filter.amountMax)}`);
  }
  if (filter.requestId !== void 0) {
    need("request_id");
    conditions2.push(`request_id = ${params.add(filter.requestId)}`);
  }
  return conditions2.join(" and ");
}
var resourceTypes, poolCategories, ioTypes, Params, SORT_COLUMN, EVENT_COLUMNS, EVENT_FILTER_COLUMNS;
var init_sql = __esm({
  "server/store/postgres/sql.ts"() {
    "use strict";
    init_contract();
    resourceTypes = codes(RESOURCE_TYPES);
    poolCategories = codes(POOL_CATEGORIES);
    ioTypes = codes(IO_TYPES);
    Params = class {
      constructor() {
        this.values = [];
      }
      /** The placeholder of a new parameter, with a cast when given. */
      add(value, cast) {
        this.values.push(value);
        return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
      }
    };
    SORT_COLUMN = {
      created: "created",
      userId: "user_id",
      amount: "amount",
      resourceType: "resource_type",
      poolCategory: "pool_category",
      ioType: "io_type",
      requestId: "request_id",
      endpoint: "endpoint"
    };
    EVENT_COLUMNS = "id, created, user_id, amount, resource_type, pool_category, io_type, request_id, endpoint, surplus_amount";
    EVENT_FILTER_COLUMNS = /* @__PURE__ */ new Set([
      "user_id",
      "endpoint",
      "io_type",
      "pool_category",
      "amount",
      "request_id"
    ]);
  }
});

// scripts/pg-cluster.mjs
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join as join2, resolve } from "node:path";
import { fileURLToPath } from "node:url";
function versionOf(dir) {
  const match = /postgresql\/(\d+)/.exec(dir);
  return match ? Number(match[1]) : 0;
}
function debianBins(root) {
  if (!existsSync(root)) return [];
  return readdirSync(root).map((version) => join2(root, version, "bin")).filter((bin) => existsSync(join2(bin, "initdb"))).sort((a, b) => versionOf(b) - versionOf(a));
}
function onPath() {
  const found = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  const path = found.status === 0 ? found.stdout.trim() : "";
  return path ? [path.slice(0, path.lastIndexOf("/"))] : [];
}
function findPostgres({ debianRoot = "/usr/lib/postgresql", pgBin = process.env.PG_BIN, searchPath = true, install = true } = {}) {
  const candidates = () => [
    ...pgBin && existsSync(join2(pgBin, "initdb")) ? [pgBin] : [],
    ...debianBins(debianRoot),
    ...searchPath ? onPath() : []
  ];
  let bins = candidates();
  if (bins.length === 0 && install && isRoot && !installTried && existsSync("/usr/bin/apt-get")) {
    installTried = true;
    process.stderr.write("pg-cluster: PostgreSQL not found; trying `apt-get install -y postgresql`\u2026\n");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    let install2 = spawnSync("apt-get", ["install", "-y", "-qq", "postgresql"], { stdio: "inherit", env });
    if (install2.status !== 0) {
      spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
      install2 = spawnSync("apt-get", ["install", "-y", "-qq", "postgresql"], { stdio: "inherit", env });
    }
    bins = candidates();
  }
  if (bins.length === 0) throw new Error(INSTALL_HINT);
  return bins[0];
}
function freePort() {
  return new Promise((resolve2, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve2(port));
    });
  });
}
function asOwner(bin, tool, args2) {
  return isRoot ? ["runuser", ["-u", "postgres", "--", join2(bin, tool), ...args2]] : [join2(bin, tool), args2];
}
function run(bin, tool, args2) {
  const [command, argv] = asOwner(bin, tool, args2);
  const result = spawnSync(command, argv, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout || result.error}`);
  }
  return result.stdout;
}
function destroy(bin, dir, keep = false) {
  if (existsSync(join2(dir, "data", "postmaster.pid"))) {
    const [command, argv] = asOwner(bin, "pg_ctl", ["-D", join2(dir, "data"), "-m", keep ? "fast" : "immediate", "-w", "stop"]);
    spawnSync(command, argv, { stdio: "ignore" });
  }
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    for (const cluster of live) cluster.stopSync();
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(signal, () => {
      for (const cluster of live) cluster.stopSync();
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}
async function startCluster({ settings = {}, quiet = true, keepDir, owner = process.pid, cleanup = [] } = {}) {
  const bin = findPostgres();
  const keep = Boolean(keepDir);
  const dir = keep ? resolve(keepDir) : mkdtempSync(join2(tmpdir(), "usage-pg-"));
  const data = join2(dir, "data");
  if (keep) mkdirSync(dir, { recursive: true });
  if (isRoot) chownSync(dir, ...uidGid("postgres"));
  if (keep) destroy(bin, dir, true);
  let started = false;
  const cluster = {
    dir,
    port: 0,
    url: "",
    version: versionOf(bin),
    stopSync() {
      if (!live.delete(cluster)) return;
      destroy(bin, dir, keep);
    },
    async stop() {
      cluster.stopSync();
    }
  };
  const ownExit = owner === process.pid;
  if (ownExit) {
    live.add(cluster);
    hookExit();
  }
  try {
    if (!existsSync(join2(data, "PG_VERSION"))) {
      run(bin, "initdb", ["-D", data, "--locale=C.UTF-8", "-E", "UTF8", "-A", "trust", "-U", "postgres", "--no-sync"]);
    }
    const conf = Object.entries({ ...DEFAULT_SETTINGS, ...settings }).map(([key, value]) => `${key} = '${value}'`).join("\n");
    writeFileSync(join2(data, "postgresql.auto.conf"), `${conf}
`);
    if (isRoot) chownSync(join2(data, "postgresql.auto.conf"), ...uidGid("postgres"));
    for (let attempt = 0; attempt < 5 && !started; attempt++) {
      const port = await freePort();
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
      try {
        run(bin, "pg_ctl", ["-D", data, "-l", join2(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        started = true;
        cluster.port = port;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
    cluster.url = `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
    startReaper(owner, bin, dir, keep, cleanup);
    if (!quiet) process.stderr.write(`pg-cluster: PostgreSQL ${cluster.version} on port ${cluster.port} in ${dir}
`);
    return cluster;
  } catch (error) {
    live.add(cluster);
    cluster.stopSync();
    throw error;
  }
}
function uidGid(user) {
  const out = spawnSync("id", ["-u", user], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", user], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`pg-cluster: no "${user}" user to run PostgreSQL as root. ${INSTALL_HINT}`);
  return [Number(out.stdout), Number(gid.stdout)];
}
function startReaper(owner, bin, dir, keep, cleanup) {
  const args2 = ["--reap", String(owner), bin, dir, keep ? "keep" : "delete", ...cleanup];
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args2], {
    detached: true,
    stdio: "ignore"
  });
  child.unref();
}
function reap(ownerPid, bin, dir, keep, cleanup) {
  const alive = () => {
    try {
      process.kill(ownerPid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const running = () => existsSync(join2(dir, "data", "postmaster.pid"));
  const timer = setInterval(() => {
    if (alive() && running()) return;
    clearInterval(timer);
    if (!alive()) destroy(bin, dir, keep);
    for (const file of cleanup) rmSync(file, { force: true });
  }, 1e3);
}
var INSTALL_HINT, isRoot, installTried, DEFAULT_SETTINGS, live, hooked, invokedDirectly;
var init_pg_cluster = __esm({
  async "scripts/pg-cluster.mjs"() {
    "use strict";
    INSTALL_HINT = "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install them with `apt-get install -y postgresql` (Debian/Ubuntu; .ci/run does this), `brew install postgresql@15` (macOS), or point PG_BIN at the directory holding initdb and pg_ctl.";
    isRoot = typeof process.getuid === "function" && process.getuid() === 0;
    installTried = false;
    DEFAULT_SETTINGS = {
      fsync: "off",
      synchronous_commit: "off",
      full_page_writes: "off",
      max_connections: "100",
      shared_buffers: "256MB",
      work_mem: "16MB",
      maintenance_work_mem: "256MB",
      max_wal_size: "2GB",
      jit: "off"
    };
    live = /* @__PURE__ */ new Set();
    hooked = false;
    invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
    if (invokedDirectly) {
      const args2 = process.argv.slice(2);
      if (args2[0] === "--reap") {
        reap(Number(args2[1]), args2[2], args2[3], args2[4] === "keep", args2.slice(5));
      } else {
        try {
          const cluster = await startCluster({ quiet: false, settings: { fsync: "on", synchronous_commit: "on", full_page_writes: "on" } });
          process.stdout.write(`DATABASE_URL=${cluster.url}
`);
          process.stderr.write("Throwaway cluster: stopped and deleted on Ctrl-C.\n");
          setInterval(() => {
          }, 1 << 30);
        } catch (error) {
          process.stderr.write(`${error.message}
`);
          process.exit(1);
        }
      }
    }
  }
});

// server/store/postgres/aggregates.ts
function rollupFor2(filter, groupBy) {
  if (filter.amountMin !== void 0 || filter.amountMax !== void 0 || filter.requestId !== void 0) return null;
  const byUser = Boolean(filter.userIds?.length) || groupBy === "userId";
  const byEndpoint = Boolean(filter.endpoints?.length) || groupBy === "endpoint";
  if (byUser && byEndpoint) return null;
  if (byUser) {
    const byPoolOrIo = Boolean(filter.ioTypes?.length || filter.poolCategories?.length) || groupBy === "ioType" || groupBy === "poolCategory";
    return byPoolOrIo ? ROLLUP_HOUR_USER2 : ROLLUP_USER;
  }
  if (byEndpoint) return ROLLUP_HOUR_ENDPOINT2;
  return ROLLUP_HOUR2;
}
function keyExpression(groupBy, keys, params) {
  if (!groupBy) return "null::text";
  const column = GROUP_COLUMN2[groupBy];
  if (groupBy === "userId" || groupBy === "endpoint") {
    return keys ? `case when ${column} = any(${params.add(keys, "text[]")}) then ${column} end` : column;
  }
  const codes2 = groupBy === "ioType" ? ioTypes : poolCategories;
  const text = `${column}::text`;
  if (!keys) return text;
  const wanted = keys.flatMap((key) => {
    try {
      return [codes2.code(key)];
    } catch {
      return [];
    }
  });
  return `case when ${column} = any(${params.add(wanted, "int2[]")}) then ${text} end`;
}
function keyName2(groupBy, key) {
  if (key === null || !groupBy) return null;
  if (groupBy === "ioType") return ioTypes.name(Number(key));
  if (groupBy === "poolCategory") return poolCategories.name(Number(key));
  return key;
}
function innerEdgesOn(edges, grain) {
  return !edges || edges.slice(1, -1).every((edge) => edge % grain === 0);
}
function rangeOf2(filter, edges) {
  let from = filter.from ?? null;
  let to = filter.to ?? null;
  if (edges && edges.length) {
    from = from === null ? edges[0] : Math.max(from, edges[0]);
    to = to === null ? edges[edges.length - 1] : Math.min(to, edges[edges.length - 1]);
  }
  return [from, to];
}
async function sums2(query, orgId, filter, edges, groupBy, keys) {
  const [from, to] = rangeOf2(filter, edges);
  if (from !== null && to !== null && from >= to) return [];
  const params = new Params();
  const edgesParam = edges ? params.add(edges.map((e) => new Date(e).toISOString()), "timestamptz[]") : null;
  const bucket = (column) => edgesParam ? `width_bucket(${column}, ${edgesParam}) - 1` : "0";
  const key = keyExpression(groupBy, keys, params);
  const eventsWhere = whereClause(orgId, filter, params, { columns: EVENT_FILTER_COLUMNS });
  const rollup = rollupFor2(filter, groupBy);
  const aligned2 = (grain) => innerEdgesOn(edges, grain);
  const tier = (grain, table, column) => ({
    grain,
    // Bound parameters are added only when a slice uses them (PostgreSQL cannot type unused ones).
    sql: (a, b) => `select ${bucket(column)} as b, ${key} as k, sum(amount) as v, sum(events) as n from ${table} where ${whereClause(orgId, filter, params, { columns: rollup.columns })}${timeRange(column, a, b, params)} group by 1, 2`
  });
  const tiers = [];
  if (rollup && aligned2(DAY6)) tiers.push(tier(DAY6, rollup.dayTable, "day"));
  if (rollup && aligned2(HOUR4)) tiers.push(tier(HOUR4, rollup.table, "hour"));
  const parts = sliceParts(
    {
      tiers,
      maxId: filter.maxId,
      events: (a, b, ids, sign) => `select ${bucket("created")} as b, ${key} as k, ${sign}sum(amount) as v, ${sign}count(*) as n from events where ${eventsWhere} and ${ids}${timeRange("created", a, b, params)} group by 1, 2`,
      eventsByUnit: (a, b, ids, sign, unit) => `select ${bucket(`date_trunc('${unit}', created)`)} as b, ${key} as k, ${sign}sum(amount) as v, ${sign}count(*) as n from events where ${eventsWhere} and ${ids}${timeRange("created", a, b, params)} group by 1, 2`
    },
    params,
    from,
    to
  );
  const bucketCount = edges ? edges.length - 1 : 1;
  return query(
    `select b, k, sum(v)::int8 as v from (${parts.join(" union all ")}) s where b >= 0 and b < ${params.add(bucketCount)} group by b, k having sum(n) > 0`,
    params.values
  );
}
async function sumByBucket2(query, orgId, filter, edges, groupBy, keys) {
  if (edges.length < 2) return [];
  const rows = await sums2(query, orgId, filter, edges, groupBy, keys);
  return rows.map((row) => ({ bucket: row.b, key: keyName2(groupBy, row.k), amount: row.v }));
}
async function sumByKey2(query, orgId, filter, groupBy) {
  const rows = await sums2(query, orgId, filter, null, groupBy, null);
  return rows.map((row) => ({ key: keyName2(groupBy, row.k), amount: row.v }));
}
async function surplusBuckets2(query, orgId, resourceType, edges, maxId) {
  const count = Math.max(0, edges.length - 1);
  const out = Array.from({ length: count }, () => ({ drawn: 0, usersOverBase: 0 }));
  if (count === 0) return out;
  const params = new Params();
  const edgesParam = params.add(edges.map((e) => new Date(e).toISOString()), "timestamptz[]");
  const org = params.add(orgId);
  const type = params.add(resourceTypes.code(resourceType));
  const tier = (grain, table, column) => ({
    grain,
    sql: (a, b) => `select width_bucket(${column}, ${edgesParam}) - 1 as b, user_id as k, drawn as v from ${table} where org_id = ${org} and resource_type = ${type} and drawn > 0${timeRange(column, a, b, params)}`
  });
  const tiers = [];
  if (innerEdgesOn(edges, DAY6)) tiers.push(tier(DAY6, "rollup_user_day", "day"));
  if (innerEdgesOn(edges, HOUR4)) tiers.push(tier(HOUR4, "rollup_hour_user", "hour"));
  const parts = sliceParts(
    {
      tiers,
      maxId,
      events: (a, b, ids, sign) => `select width_bucket(created, ${edgesParam}) - 1 as b, user_id as k, ${sign}surplus_amount as v from events where org_id = ${org} and resource_type = ${type} and surplus_amount > 0 and ${ids}${timeRange("created", a, b, params)}`,
      eventsByUnit: (a, b, ids, sign, unit) => `select width_bucket(date_trunc('${unit}', created), ${edgesParam}) - 1 as b, user_id as k, ${sign}surplus_amount as v from events where org_id = ${org} and resource_type = ${type} and surplus_amount > 0 and ${ids}${timeRange("created", a, b, params)}`
    },
    params,
    edges[0],
    edges[edges.length - 1]
  );
  const rows = await query(
    `select b, sum(v)::int8 as drawn, count(*) filter (where v > 0)::int8 as users from (select b, k, sum(v) as v from (${parts.join(" union all ")}) s group by b, k) u where b >= 0 and b < ${params.add(count)} group by b`,
    params.values
  );
  for (const row of rows) out[row.b] = { drawn: row.drawn, usersOverBase: row.users };
  return out;
}
async function drawnByMinute2(query, orgId, resourceType, from, to, maxId) {
  if (from >= to) return [];
  const params = new Params();
  const org = params.add(orgId);
  const type = params.add(resourceTypes.code(resourceType));
  const parts = sliceParts(
    {
      tiers: [
        {
          grain: MINUTE9,
          sql: (a, b) => `select minute as k, drawn as v from rollup_minute where org_id = ${org} and resource_type = ${type} and drawn > 0` + timeRange("minute", a, b, params)
        }
      ],
      maxId,
      events: (a, b, ids, sign) => `select date_trunc('minute', created) as k, ${sign}surplus_amount as v from events where org_id = ${org} and resource_type = ${type} and surplus_amount > 0 and ${ids}${timeRange("created", a, b, params)}`
    },
    params,
    from,
    to
  );
  const rows = await query(
    `select k, sum(v)::int8 as v from (${parts.join(" union all ")}) s group by k having sum(v) > 0 order by k`,
    params.values
  );
  return rows.map((row) => ({ minute: row.k.getTime(), drawn: row.v }));
}
async function endpointCounts2(query, orgId, since, maxId) {
  const params = new Params();
  const org = params.add(orgId);
  const parts = sliceParts(
    {
      tiers: [
        {
          grain: DAY6,
          sql: (a, b) => `select endpoint as k, events as v from rollup_day_endpoint where org_id = ${org}${timeRange("day", a, b, params)}`
        },
        {
          grain: HOUR4,
          sql: (a, b) => `select endpoint as k, events as v from rollup_hour_endpoint where org_id = ${org}${timeRange("hour", a, b, params)}`
        }
      ],
      maxId,
      events: (a, b, ids, sign) => `select endpoint as k, ${sign}1 as v from events where org_id = ${org} and ${ids}${timeRange("created", a, b, params)}`
    },
    params,
    since,
    null
  );
  const rows = await query(
    `select k, sum(v)::int8 as v from (${parts.join(" union all ")}) s group by k having sum(v) > 0`,
    params.values
  );
  return rows.map((row) => ({ endpoint: row.k, events: row.v }));
}
var MINUTE9, ROLLUP_HOUR2, ROLLUP_HOUR_USER2, ROLLUP_USER, ROLLUP_HOUR_ENDPOINT2, GROUP_COLUMN2;
var init_aggregates = __esm({
  "server/store/postgres/aggregates.ts"() {
    "use strict";
    init_slices();
    init_sql();
    MINUTE9 = 6e4;
    ROLLUP_HOUR2 = { table: "rollup_hour", dayTable: "rollup_day", columns: /* @__PURE__ */ new Set(["io_type", "pool_category"]) };
    ROLLUP_HOUR_USER2 = {
      table: "rollup_hour_user",
      dayTable: "rollup_day_user",
      columns: /* @__PURE__ */ new Set(["user_id", "io_type", "pool_category"])
    };
    ROLLUP_USER = { table: "rollup_user_hour", dayTable: "rollup_user_day", columns: /* @__PURE__ */ new Set(["user_id"]) };
    ROLLUP_HOUR_ENDPOINT2 = {
      table: "rollup_hour_endpoint",
      dayTable: "rollup_day_endpoint_type",
      columns: /* @__PURE__ */ new Set(["endpoint", "io_type", "pool_category"])
    };
    GROUP_COLUMN2 = {
      userId: "user_id",
      endpoint: "endpoint",
      ioType: "io_type",
      poolCategory: "pool_category"
    };
  }
});

// server/store/postgres/ingest.ts
function toOrganizationLimits2(row) {
  return {
    effectiveFrom: row.effective_from.getTime(),
    weeklyTokenLimit: row.weekly_token_limit,
    storageLimit: row.storage_limit,
    surplusCapacity: { tokens: row.surplus_capacity_tokens, storage: row.surplus_capacity_storage, ocr: row.surplus_capacity_ocr }
  };
}
function toUserLimits2(row) {
  return {
    resourceType: resourceTypes.name(row.resource_type),
    effectiveFrom: row.effective_from.getTime(),
    basePer4h: row.base_per_4h,
    surplusPer4h: row.surplus_per_4h
  };
}
function weekStart(ms) {
  const day2 = Math.floor(ms / DAY6);
  const weekday = (day2 + 3) % 7;
  return (day2 - weekday) * DAY6;
}
function minuteRegions(type, first, last) {
  const firstMinute = Math.floor(first / MINUTE10) * MINUTE10;
  const end = Math.floor(last / MINUTE10) * MINUTE10 + MINUTE10;
  if (type === "ocr") return { exact: [[firstMinute - LIMITS.windowMs + MINUTE10, end]], hours: null };
  const recent = [Math.floor((firstMinute - LIMITS.windowMs) / HOUR4) * HOUR4, end];
  const weekStartFirst = firstMinute - LIMITS.weekMs + MINUTE10;
  const weekStartLast = end - LIMITS.weekMs;
  const weekEdge = [Math.floor(weekStartFirst / HOUR4) * HOUR4, Math.ceil(weekStartLast / HOUR4) * HOUR4];
  if (weekEdge[1] >= recent[0]) return { exact: [[weekEdge[0], end]], hours: null };
  return { exact: [weekEdge, recent], hours: [weekEdge[1], recent[0]] };
}
function ownMiddle(edge, first, last) {
  const edgeHour = Math.floor(edge / HOUR4) * HOUR4;
  const firstHour = Math.floor(first / HOUR4) * HOUR4;
  const split = firstHour > edgeHour;
  const values = [edge, first, last, split ? edgeHour + HOUR4 : first + 1, edgeHour, ...split ? [firstHour, firstHour + HOUR4] : []];
  const sql8 = `with spans as (
      select user_id, hour, amount, drawn, first_created, first_created > $5 and last_created <= $6 as inside
      from rollup_user_hour
      where org_id = $1 and resource_type = $3 and user_id = any($2::text[])
        and hour > $5::timestamptz - interval '1 hour' and hour <= $6
    )${split ? `, after_first as (
      select user_id, sum(amount)::int8 as amount, sum(surplus_amount)::int8 as drawn from events
      where org_id = $1 and resource_type = $3 and user_id = any($2::text[]) and created > $6 and created < $11
      group by user_id
    )` : ""}
    select user_id, ${epochMs("created")} as t, amount, surplus_amount from events
    where org_id = $1 and user_id = any($2::text[]) and resource_type = $3
      and ((created > $4 and created <= $5) or (created > $6 and created <= $7))
    union all
    select user_id, ${epochMs("first_created")}, amount, drawn from spans where inside
    union all
    select user_id, ${epochMs("created")}, amount, surplus_amount from events
    where org_id = $1 and resource_type = $3 and created > $5 and created < $8
      and user_id = any(array(select user_id from spans where hour = $9 and not inside))${split ? `
    union all
    select s.user_id, ${epochMs("s.first_created")}, s.amount - coalesce(a.amount, 0), s.drawn - coalesce(a.drawn, 0)
    from spans s left join after_first a using (user_id)
    where s.hour = $10 and not s.inside and s.first_created <= $6` : ""}`;
  return { sql: sql8, values: values.map(toTimestamp) };
}
async function loadWindows(db, orgId, items) {
  const windows = new UsageWindows();
  const byType = /* @__PURE__ */ new Map();
  for (const item of items) {
    const span = byType.get(item.resourceType);
    if (span) {
      span.users.add(item.userId);
      span.first = Math.min(span.first, item.created);
      span.last = Math.max(span.last, item.created);
    } else {
      byType.set(item.resourceType, { users: /* @__PURE__ */ new Set([item.userId]), first: item.created, last: item.created });
    }
  }
  for (const [type, span] of byType) {
    const code = resourceTypes.code(type);
    const regions = minuteRegions(type, span.first, span.last);
    const users = [...span.users];
    const windowStart = toTimestamp(span.first - LIMITS.windowMs);
    const middle = span.last - LIMITS.windowMs < span.first ? ownMiddle(span.last - LIMITS.windowMs, span.first, span.last) : null;
    const own = await db.query(
      middle ? middle.sql : OWN_WHOLE_SQL,
      [orgId, users, code, windowStart, ...middle ? middle.values : [toTimestamp(span.last)]]
    );
    const bounds = regions.exact.flatMap(([from, to]) => [toTimestamp(from), toTimestamp(to)]);
    const minutes = await db.query(
      `select ${epochMs("minute")} as t, amount, drawn from rollup_minute
       where org_id = $1 and resource_type = $2 and (${regions.exact.map((_, i) => `(minute >= $${3 + 2 * i} and minute < $${4 + 2 * i})`).join(" or ")})`,
      [orgId, code, ...bounds]
    );
    const others = /* @__PURE__ */ new Map();
    for (const row of minutes.rows) others.set(row.t, { amount: row.amount, drawn: row.drawn });
    for (const row of own.rows) {
      windows.add(row.user_id, type, row.t, row.amount, row.surplus_amount);
      const minute = others.get(Math.floor(row.t / MINUTE10) * MINUTE10);
      if (minute) {
        minute.amount -= row.amount;
        minute.drawn -= row.surplus_amount;
      }
    }
    for (const [minute, sums3] of others) windows.add(OTHERS2, type, minute, sums3.amount, sums3.drawn);
    if (regions.hours) {
      const hours = await db.query(
        `select ${epochMs("min(minute) filter (where amount > 0)")} as ta, sum(amount)::int8 as amount,
                ${epochMs("min(minute) filter (where drawn > 0)")} as td, sum(drawn)::int8 as drawn
         from rollup_minute where org_id = $1 and resource_type = $2 and minute >= $3 and minute < $4
         group by floor(extract(epoch from minute) / 3600)`,
        [orgId, code, toTimestamp(regions.hours[0]), toTimestamp(regions.hours[1])]
      );
      for (const row of hours.rows) {
        if (row.ta !== null) windows.add(OTHERS2, type, row.ta, row.amount, 0);
        if (row.td !== null) windows.add(OTHERS2, type, row.td, 0, row.drawn);
      }
    }
  }
  return windows;
}
async function writeEvents(db, orgId, events, created, lastId) {
  const minute = new Rollup([1]);
  const hour = new Rollup([1]);
  const hourUser = new Rollup([1]);
  const hourEndpoint = new Rollup([1]);
  const dayEndpoint = new Rollup([0]);
  const userHour = new Rollup([2, 6, 7], ["sum", "sum", "sum", "min", "max"]);
  const userDay = new Rollup([1]);
  const day2 = new Rollup([1]);
  const dayUser = new Rollup([1]);
  const dayEndpointType = new Rollup([1]);
  const cols = {
    id: [],
    created: [],
    amount: [],
    surplus: [],
    type: [],
    pool: [],
    io: [],
    user: [],
    request: [],
    endpoint: []
  };
  events.forEach((event, i) => {
    const at = created[i];
    const type = resourceTypes.code(event.resourceType);
    const pool = poolCategories.code(event.poolCategory);
    const io = ioTypes.code(event.ioType);
    cols.id.push(Number(event.id));
    cols.created.push(event.created);
    cols.amount.push(event.amount);
    cols.surplus.push(event.surplusAmount);
    cols.type.push(type);
    cols.pool.push(pool);
    cols.io.push(io);
    cols.user.push(event.userId);
    cols.request.push(event.requestId);
    cols.endpoint.push(event.endpoint);
    const minuteIndex = Math.floor(at / MINUTE10);
    const hourIndex = Math.floor(at / HOUR4);
    const dayIndex = Math.floor(at / DAY6);
    const h = hourIndex * HOUR4;
    const d = dayIndex * DAY6;
    const amounts = [event.amount, 1, event.surplusAmount];
    const cell = (type * 3 + io) * 3 + pool;
    const hourCell = `${hourIndex}:${cell}`;
    const dayCell = `${dayIndex}:${cell}`;
    minute.add(`${type}:${minuteIndex}`, [type, minuteIndex * MINUTE10], [event.amount, event.surplusAmount]);
    hour.add(hourCell, [type, h, io, pool], amounts);
    hourUser.add(`${hourCell}:${event.userId}`, [type, h, event.userId, io, pool], [...amounts]);
    hourEndpoint.add(`${hourCell}:${event.endpoint}`, [type, h, event.endpoint, io, pool], [event.amount, 1]);
    dayEndpoint.add(`${dayIndex}:${event.endpoint}`, [d, event.endpoint], [1]);
    userHour.add(`${type}:${hourIndex}:${event.userId}`, [type, event.userId, h], [event.amount, event.surplusAmount, 1, at, at]);
    userDay.add(`${type}:${dayIndex}:${event.userId}`, [type, d, event.userId], [...amounts]);
    day2.add(dayCell, [type, d, io, pool], [...amounts]);
    dayUser.add(`${dayCell}:${event.userId}`, [type, d, event.userId, io, pool], [...amounts]);
    dayEndpointType.add(`${dayCell}:${event.endpoint}`, [type, d, event.endpoint, io, pool], [event.amount, 1]);
  });
  const params = new Params();
  const org = params.add(orgId);
  const list = (columns, casts) => columns.map((column, i) => params.add(column, `${casts[i]}[]`)).join(", ");
  const eventColumns = [cols.id, cols.created, cols.amount, cols.surplus, cols.type, cols.pool, cols.io, cols.user, cols.request, cols.endpoint];
  await db.query(
    `with new_events as (
       insert into events (org_id, id, created, amount, surplus_amount, resource_type, pool_category, io_type, user_id, request_id, endpoint)
       select ${org}, * from unnest(${list(eventColumns, ["int8", "timestamptz", "int8", "int8", "int2", "int2", "int2", "text", "text", "text"])})
     ), minutes as (
       insert into rollup_minute (org_id, resource_type, minute, amount, drawn)
       select ${org}, * from unnest(${list(minute.columns(), ["int2", "timestamptz", "int8", "int8"])})
       on conflict (org_id, resource_type, minute) do update
       set amount = rollup_minute.amount + excluded.amount, drawn = rollup_minute.drawn + excluded.drawn
     ), hours as (
       insert into rollup_hour (org_id, resource_type, hour, io_type, pool_category, amount, events, drawn)
       select ${org}, * from unnest(${list(hour.columns(), ["int2", "timestamptz", "int2", "int2", "int8", "int8", "int8"])})
       on conflict (org_id, resource_type, hour, io_type, pool_category) do update
       set amount = rollup_hour.amount + excluded.amount, events = rollup_hour.events + excluded.events,
           drawn = rollup_hour.drawn + excluded.drawn
     ), user_hours as (
       insert into rollup_hour_user (org_id, resource_type, hour, user_id, io_type, pool_category, amount, events, drawn)
       select ${org}, * from unnest(${list(hourUser.columns(), ["int2", "timestamptz", "text", "int2", "int2", "int8", "int8", "int8"])})
       on conflict (org_id, resource_type, hour, user_id, io_type, pool_category) do update
       set amount = rollup_hour_user.amount + excluded.amount, events = rollup_hour_user.events + excluded.events,
           drawn = rollup_hour_user.drawn + excluded.drawn
     ), endpoint_hours as (
       insert into rollup_hour_endpoint (org_id, resource_type, hour, endpoint, io_type, pool_category, amount, events)
       select ${org}, * from unnest(${list(hourEndpoint.columns(), ["int2", "timestamptz", "text", "int2", "int2", "int8", "int8"])})
       on conflict (org_id, resource_type, hour, endpoint, io_type, pool_category) do update
       set amount = rollup_hour_endpoint.amount + excluded.amount, events = rollup_hour_endpoint.events + excluded.events
     ), windows as (
       insert into rollup_user_hour (org_id, resource_type, user_id, hour, amount, drawn, events, first_created, last_created)
       select ${org}, * from unnest(${list(userHour.columns(), ["int2", "text", "timestamptz", "int8", "int8", "int8", "timestamptz", "timestamptz"])})
       on conflict (org_id, resource_type, user_id, hour) do update
       set amount = rollup_user_hour.amount + excluded.amount, drawn = rollup_user_hour.drawn + excluded.drawn,
           events = rollup_user_hour.events + excluded.events,
           first_created = least(rollup_user_hour.first_created, excluded.first_created),
           last_created = greatest(rollup_user_hour.last_created, excluded.last_created)
     ), days as (
       insert into rollup_day (org_id, resource_type, day, io_type, pool_category, amount, events, drawn)
       select ${org}, * from unnest(${list(day2.columns(), ["int2", "timestamptz", "int2", "int2", "int8", "int8", "int8"])})
       on conflict (org_id, resource_type, day, io_type, pool_category) do update
       set amount = rollup_day.amount + excluded.amount, events = rollup_day.events + excluded.events,
           drawn = rollup_day.drawn + excluded.drawn
     ), user_days as (
       insert into rollup_day_user (org_id, resource_type, day, user_id, io_type, pool_category, amount, events, drawn)
       select ${org}, * from unnest(${list(dayUser.columns(), ["int2", "timestamptz", "text", "int2", "int2", "int8", "int8", "int8"])})
       on conflict (org_id, resource_type, day, user_id, io_type, pool_category) do update
       set amount = rollup_day_user.amount + excluded.amount, events = rollup_day_user.events + excluded.events,
           drawn = rollup_day_user.drawn + excluded.drawn
     ), user_totals as (
       insert into rollup_user_day (org_id, resource_type, day, user_id, amount, events, drawn)
       select ${org}, * from unnest(${list(userDay.columns(), ["int2", "timestamptz", "text", "int8", "int8", "int8"])})
       on conflict (org_id, resource_type, day, user_id) do update
       set amount = rollup_user_day.amount + excluded.amount, events = rollup_user_day.events + excluded.events,
           drawn = rollup_user_day.drawn + excluded.drawn
     ), endpoint_type_days as (
       insert into rollup_day_endpoint_type (org_id, resource_type, day, endpoint, io_type, pool_category, amount, events)
       select ${org}, * from unnest(${list(dayEndpointType.columns(), ["int2", "timestamptz", "text", "int2", "int2", "int8", "int8"])})
       on conflict (org_id, resource_type, day, endpoint, io_type, pool_category) do update
       set amount = rollup_day_endpoint_type.amount + excluded.amount, events = rollup_day_endpoint_type.events + excluded.events
     ), endpoint_days as (
       insert into rollup_day_endpoint (org_id, day, endpoint, events)
       select ${org}, * from unnest(${list(dayEndpoint.columns(), ["timestamptz", "text", "int8"])})
       on conflict (org_id, day, endpoint) do update set events = rollup_day_endpoint.events + excluded.events
     ), counter as (
       update organizations set last_event_id = ${params.add(lastId)} where org_id = ${org}
     )
     select pg_notify(${params.add(EVENTS_CHANNEL)}, ${org})`,
    params.values
  );
}
async function ingestInTransaction(db, orgId, entries, options) {
  const locked = await db.query(
    "select last_event_id from organizations where org_id = $1 for update",
    [orgId]
  );
  if (!locked.rows.length) throw new Error(`No organization ${orgId}.`);
  const idem = options.idempotency;
  if (idem) {
    await db.query("delete from idempotency_keys where org_id = $1 and created_at <= $2", [
      orgId,
      toTimestamp(idem.now - LIMITS.idempotencyMs)
    ]);
    const found = await db.query(
      "select request_hash, results from idempotency_keys where org_id = $1 and key = $2",
      [orgId, idem.key]
    );
    const remembered = found.rows[0];
    if (remembered) {
      return remembered.request_hash === idem.requestHash ? { kind: "replayed", results: remembered.results } : { kind: "conflict" };
    }
  }
  const items = entries.filter((entry) => !("error" in entry));
  const userIds = [...new Set(items.map((item) => item.userId))];
  const orgLimits = await db.query("select * from org_limits where org_id = $1 order by effective_from", [orgId]);
  const users = await db.query("select user_id from users where org_id = $1 and user_id = any($2::text[])", [
    orgId,
    userIds
  ]);
  const userLimits = await db.query(
    "select * from user_limits where org_id = $1 and user_id = any($2::text[]) order by effective_from",
    [orgId, userIds]
  );
  const windows = await loadWindows(db, orgId, items);
  const limitsByUser = new Map(users.rows.map((row) => [row.user_id, []]));
  for (const row of userLimits.rows) limitsByUser.get(row.user_id)?.push(toUserLimits2(row));
  const source = {
    windows,
    organizationLimits: orgLimits.rows.map(toOrganizationLimits2),
    userLimits: (userId) => limitsByUser.get(userId)
  };
  let lastId = locked.rows[0].last_event_id;
  const results = [];
  const stored = [];
  const created = [];
  for (const item of entries) {
    if ("error" in item) {
      results.push(item);
      continue;
    }
    const outcome = classifyItem(source, item);
    if ("error" in outcome) {
      results.push(outcome);
      continue;
    }
    const event = {
      id: String(++lastId),
      created: formatInstant(item.created),
      userId: item.userId,
      amount: item.amount,
      resourceType: item.resourceType,
      poolCategory: outcome.poolCategory,
      ioType: item.ioType,
      requestId: item.requestId,
      endpoint: item.endpoint,
      surplusAmount: outcome.surplusAmount
    };
    results.push(event);
    stored.push(event);
    created.push(item.created);
  }
  if (stored.length) {
    await writeEvents(db, orgId, stored, created, lastId);
  }
  if (idem) {
    await db.query(
      "insert into idempotency_keys (org_id, key, request_hash, created_at, results) values ($1, $2, $3, $4, $5)",
      [orgId, idem.key, idem.requestHash, toTimestamp(idem.now), JSON.stringify(results)]
    );
  }
  return { kind: "stored", results };
}
var MINUTE10, EVENTS_CHANNEL, OTHERS2, epochMs, OWN_WHOLE_SQL, Rollup;
var init_ingest2 = __esm({
  "server/store/postgres/ingest.ts"() {
    "use strict";
    init_contract();
    init_classification();
    init_windows();
    init_slices();
    init_sql();
    MINUTE10 = 6e4;
    EVENTS_CHANNEL = "usage_events";
    OTHERS2 = "\0others";
    epochMs = (column) => `(extract(epoch from ${column}) * 1000)::int8`;
    OWN_WHOLE_SQL = `select user_id, ${epochMs("created")} as t, amount, surplus_amount from events
  where org_id = $1 and user_id = any($2::text[]) and resource_type = $3 and created > $4 and created <= $5`;
    Rollup = class {
      constructor(instants, combine = []) {
        this.instants = instants;
        this.#combine = combine;
      }
      #entries = /* @__PURE__ */ new Map();
      #combine;
      add(id, key, sums3) {
        const entry = this.#entries.get(id);
        if (!entry) {
          this.#entries.set(id, { key, sums: sums3 });
          return;
        }
        for (let i = 0; i < sums3.length; i++) {
          const how = this.#combine[i];
          const a = entry.sums[i];
          const b = sums3[i];
          entry.sums[i] = how === "min" ? Math.min(a, b) : how === "max" ? Math.max(a, b) : a + b;
        }
      }
      /** One array per column, for `unnest`. */
      columns() {
        const entries = [...this.#entries.values()];
        const keys = entries[0].key.length;
        const width = keys + entries[0].sums.length;
        const stamps = /* @__PURE__ */ new Map();
        const stamp = (ms) => {
          let text = stamps.get(ms);
          if (text === void 0) {
            text = toTimestamp(ms);
            stamps.set(ms, text);
          }
          return text;
        };
        return Array.from({ length: width }, (_, i) => {
          const column = entries.map((entry) => i < keys ? entry.key[i] : entry.sums[i - keys]);
          return this.instants.includes(i) ? column.map((value) => stamp(value)) : column;
        });
      }
    };
  }
});

// server/store/postgres/migrations/0001_initial.ts
var sql;
var init_initial = __esm({
  "server/store/postgres/migrations/0001_initial.ts"() {
    "use strict";
    sql = /* sql */
    `
create table organizations (
  org_id text collate "C" primary key,
  name text not null,
  -- The per-organization id counter. Ingest takes this row's lock for its whole
  -- transaction: classification is serialised per organization (the surplus pool is
  -- shared) and ids become visible in id order.
  last_event_id bigint not null default 0
);

create table org_limits (
  org_id text collate "C" not null,
  effective_from timestamptz not null,
  weekly_token_limit bigint not null,
  storage_limit bigint not null,
  surplus_capacity_ocr bigint not null,
  surplus_capacity_storage bigint not null,
  surplus_capacity_tokens bigint not null,
  primary key (org_id, effective_from)
);

-- Looked up by token before the organization is known: a reference table on Citus.
create table tokens (
  token_hash text collate "C" primary key,
  org_id text collate "C" not null,
  scopes text[] not null
);

create table users (
  org_id text collate "C" not null,
  user_id text collate "C" not null,
  name text,
  email text,
  -- Lower-cased in JavaScript (String#toLowerCase) at write time, so the search is the
  -- same case-insensitive match whatever the database's ctype.
  search_id text not null,
  search_name text,
  search_email text,
  primary key (org_id, user_id)
);

create table user_limits (
  org_id text collate "C" not null,
  user_id text collate "C" not null,
  resource_type smallint not null,
  effective_from timestamptz not null,
  base_per_4h bigint not null,
  surplus_per_4h bigint not null,
  primary key (org_id, user_id, resource_type, effective_from)
);

-- Events, partitioned by week of created (UTC, from Monday); partitions are made ahead by
-- ensure_event_partitions() and dropped for retention by drop_events_before().
create table events (
  id bigint not null,
  created timestamptz not null,
  amount bigint not null,
  surplus_amount bigint not null,
  resource_type smallint not null,
  pool_category smallint not null,
  io_type smallint not null,
  org_id text collate "C" not null,
  user_id text collate "C" not null,
  request_id text collate "C" not null,
  endpoint text collate "C" not null,
  primary key (org_id, created, id)
) partition by range (created);

-- One index per sort column (ties by created, id), which also serves its filter; (org_id,
-- id) serves the live stream and the bounds of every read by id.
create index events_id on events (org_id, id);
create index events_user on events (org_id, user_id, created, id);
create index events_amount on events (org_id, resource_type, amount, created, id);
create index events_request on events (org_id, request_id, created, id);
create index events_endpoint on events (org_id, endpoint, created, id);
create index events_type on events (org_id, resource_type, created, id);
create index events_pool on events (org_id, pool_category, created, id);
create index events_io on events (org_id, io_type, created, id);
-- The surplus series where rollups cannot serve (minute buckets, partial hours).
create index events_drawn on events (org_id, resource_type, created) include (user_id, surplus_amount, id) where surplus_amount > 0;

-- Per-minute sums of each resource type: drawn surplus (the pool's available(t) slides
-- over 240 of them) and consumed amount (the rolling 7-day limits).
create table rollup_minute (
  org_id text collate "C" not null,
  resource_type smallint not null,
  minute timestamptz not null,
  amount bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, minute)
);

-- Hourly rollups for the charts, kept in the ingest transaction. Each serves the queries
-- whose filters and grouping it holds; the others scan events.
create table rollup_hour (
  org_id text collate "C" not null,
  resource_type smallint not null,
  hour timestamptz not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, hour, io_type, pool_category)
);

create table rollup_hour_user (
  org_id text collate "C" not null,
  resource_type smallint not null,
  hour timestamptz not null,
  user_id text collate "C" not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, hour, user_id, io_type, pool_category)
);
-- Who drew surplus in an hour (usersOverBase).
create index rollup_hour_user_drawn on rollup_hour_user (org_id, resource_type, hour) include (user_id, drawn) where drawn > 0;

create table rollup_hour_endpoint (
  org_id text collate "C" not null,
  resource_type smallint not null,
  hour timestamptz not null,
  endpoint text collate "C" not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  primary key (org_id, resource_type, hour, endpoint, io_type, pool_category)
);

-- Events per endpoint and UTC day, all types (the endpoints list).
create table rollup_day_endpoint (
  org_id text collate "C" not null,
  day timestamptz not null,
  endpoint text collate "C" not null,
  events bigint not null,
  primary key (org_id, day, endpoint)
);

create table idempotency_keys (
  org_id text collate "C" not null,
  key text collate "C" not null,
  request_hash text not null,
  created_at timestamptz not null,
  results jsonb not null,
  primary key (org_id, key)
);
create index idempotency_keys_expiry on idempotency_keys (org_id, created_at);

-- Creates the weekly partitions of events covering [p_from, p_to); returns how many it made.
create function ensure_event_partitions(p_from timestamptz, p_to timestamptz) returns integer
language plpgsql as $$
declare
  week timestamp := date_trunc('week', p_from at time zone 'UTC');
  made integer := 0;
  part text;
begin
  -- Two processes making the same partition at once would collide in the catalog.
  perform pg_advisory_xact_lock(hashtext('usage.event_partitions'));
  while week at time zone 'UTC' < p_to loop
    part := 'events_p' || to_char(week, 'YYYYMMDD');
    if to_regclass(part) is null then
      execute format('create table %I partition of events for values from (%L) to (%L)',
        part, week at time zone 'UTC', (week + interval '7 days') at time zone 'UTC');
      made := made + 1;
    end if;
    week := week + interval '7 days';
  end loop;
  return made;
end $$;

-- Retention: drops every events partition that ends at or before p_before and the rollup
-- rows before the oldest kept partition, so rollups and events keep agreeing. Returns the
-- names of the dropped partitions.
create function drop_events_before(p_before timestamptz) returns setof text
language plpgsql as $$
declare
  part record;
  cut timestamptz := '-infinity';
  part_end timestamptz;
begin
  perform pg_advisory_xact_lock(hashtext('usage.event_partitions'));
  for part in
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'events'::regclass and c.relname ~ '^events_p[0-9]{8}$'
    order by c.relname
  loop
    part_end := (to_timestamp(substr(part.relname, 9), 'YYYYMMDD')::timestamp + interval '7 days') at time zone 'UTC';
    exit when part_end > p_before;
    execute format('drop table %I', part.relname);
    cut := part_end;
    return next part.relname;
  end loop;
  if cut > '-infinity' then
    delete from rollup_minute where minute < cut;
    delete from rollup_hour where hour < cut;
    delete from rollup_hour_user where hour < cut;
    delete from rollup_hour_endpoint where hour < cut;
    delete from rollup_day_endpoint where day < cut;
  end if;
end $$;
`;
  }
});

// server/store/postgres/migrations/0002_user_hour_rollup.ts
var sql2;
var init_user_hour_rollup = __esm({
  "server/store/postgres/migrations/0002_user_hour_rollup.ts"() {
    "use strict";
    sql2 = /* sql */
    `
create table rollup_user_hour (
  org_id text collate "C" not null,
  resource_type smallint not null,
  user_id text collate "C" not null,
  hour timestamptz not null,
  amount bigint not null,
  drawn bigint not null,
  first_created timestamptz not null,
  last_created timestamptz not null,
  primary key (org_id, resource_type, user_id, hour)
);

insert into rollup_user_hour (org_id, resource_type, user_id, hour, amount, drawn, first_created, last_created)
select org_id, resource_type, user_id, date_trunc('hour', created at time zone 'UTC') at time zone 'UTC',
       sum(amount), sum(surplus_amount), min(created), max(created)
from events group by 1, 2, 3, 4;

create or replace function drop_events_before(p_before timestamptz) returns setof text
language plpgsql as $$
declare
  part record;
  cut timestamptz := '-infinity';
  part_end timestamptz;
begin
  perform pg_advisory_xact_lock(hashtext('usage.event_partitions'));
  for part in
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'events'::regclass and c.relname ~ '^events_p[0-9]{8}$'
    order by c.relname
  loop
    part_end := (to_timestamp(substr(part.relname, 9), 'YYYYMMDD')::timestamp + interval '7 days') at time zone 'UTC';
    exit when part_end > p_before;
    execute format('drop table %I', part.relname);
    cut := part_end;
    return next part.relname;
  end loop;
  if cut > '-infinity' then
    delete from rollup_minute where minute < cut;
    delete from rollup_hour where hour < cut;
    delete from rollup_hour_user where hour < cut;
    delete from rollup_hour_endpoint where hour < cut;
    delete from rollup_day_endpoint where day < cut;
    delete from rollup_user_hour where hour < cut;
  end if;
end $$;
`;
  }
});

// server/store/postgres/migrations/0003_day_rollups.ts
var day, sql3;
var init_day_rollups = __esm({
  "server/store/postgres/migrations/0003_day_rollups.ts"() {
    "use strict";
    day = "date_trunc('day', hour at time zone 'UTC') at time zone 'UTC'";
    sql3 = /* sql */
    `
create table rollup_day (
  org_id text collate "C" not null,
  resource_type smallint not null,
  day timestamptz not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, day, io_type, pool_category)
);

create table rollup_day_user (
  org_id text collate "C" not null,
  resource_type smallint not null,
  day timestamptz not null,
  user_id text collate "C" not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, day, user_id, io_type, pool_category)
);

-- Per type (rollup_day_endpoint, from the first version, counts every type together).
create table rollup_day_endpoint_type (
  org_id text collate "C" not null,
  resource_type smallint not null,
  day timestamptz not null,
  endpoint text collate "C" not null,
  io_type smallint not null,
  pool_category smallint not null,
  amount bigint not null,
  events bigint not null,
  primary key (org_id, resource_type, day, endpoint, io_type, pool_category)
);

insert into rollup_day
select org_id, resource_type, ${day}, io_type, pool_category, sum(amount), sum(events), sum(drawn)
from rollup_hour group by 1, 2, 3, 4, 5;

insert into rollup_day_user
select org_id, resource_type, ${day}, user_id, io_type, pool_category, sum(amount), sum(events), sum(drawn)
from rollup_hour_user group by 1, 2, 3, 4, 5, 6;

insert into rollup_day_endpoint_type
select org_id, resource_type, ${day}, endpoint, io_type, pool_category, sum(amount), sum(events)
from rollup_hour_endpoint group by 1, 2, 3, 4, 5, 6;

create or replace function drop_events_before(p_before timestamptz) returns setof text
language plpgsql as $$
declare
  part record;
  cut timestamptz := '-infinity';
  part_end timestamptz;
begin
  perform pg_advisory_xact_lock(hashtext('usage.event_partitions'));
  for part in
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'events'::regclass and c.relname ~ '^events_p[0-9]{8}$'
    order by c.relname
  loop
    part_end := (to_timestamp(substr(part.relname, 9), 'YYYYMMDD')::timestamp + interval '7 days') at time zone 'UTC';
    exit when part_end > p_before;
    execute format('drop table %I', part.relname);
    cut := part_end;
    return next part.relname;
  end loop;
  if cut > '-infinity' then
    delete from rollup_minute where minute < cut;
    delete from rollup_hour where hour < cut;
    delete from rollup_hour_user where hour < cut;
    delete from rollup_hour_endpoint where hour < cut;
    delete from rollup_day_endpoint where day < cut;
    delete from rollup_user_hour where hour < cut;
    delete from rollup_day where day < cut;
    delete from rollup_day_user where day < cut;
    delete from rollup_day_endpoint_type where day < cut;
  end if;
end $$;
`;
  }
});

// server/store/postgres/migrations/0004_user_totals.ts
var sql4;
var init_user_totals = __esm({
  "server/store/postgres/migrations/0004_user_totals.ts"() {
    "use strict";
    sql4 = /* sql */
    `
alter table rollup_user_hour add column events bigint not null default 0;

update rollup_user_hour u set events = s.events
from (
  select org_id, resource_type, user_id, hour, sum(events) as events
  from rollup_hour_user group by 1, 2, 3, 4
) s
where u.org_id = s.org_id and u.resource_type = s.resource_type and u.user_id = s.user_id and u.hour = s.hour;

create index rollup_user_hour_time on rollup_user_hour (org_id, resource_type, hour) include (user_id, amount, events);

create table rollup_user_day (
  org_id text collate "C" not null,
  resource_type smallint not null,
  day timestamptz not null,
  user_id text collate "C" not null,
  amount bigint not null,
  events bigint not null,
  drawn bigint not null,
  primary key (org_id, resource_type, day, user_id)
);

insert into rollup_user_day
select org_id, resource_type, day, user_id, sum(amount), sum(events), sum(drawn)
from rollup_day_user group by 1, 2, 3, 4;

create or replace function drop_events_before(p_before timestamptz) returns setof text
language plpgsql as $$
declare
  part record;
  cut timestamptz := '-infinity';
  part_end timestamptz;
begin
  perform pg_advisory_xact_lock(hashtext('usage.event_partitions'));
  for part in
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'events'::regclass and c.relname ~ '^events_p[0-9]{8}$'
    order by c.relname
  loop
    part_end := (to_timestamp(substr(part.relname, 9), 'YYYYMMDD')::timestamp + interval '7 days') at time zone 'UTC';
    exit when part_end > p_before;
    execute format('drop table %I', part.relname);
    cut := part_end;
    return next part.relname;
  end loop;
  if cut > '-infinity' then
    delete from rollup_minute where minute < cut;
    delete from rollup_hour where hour < cut;
    delete from rollup_hour_user where hour < cut;
    delete from rollup_hour_endpoint where hour < cut;
    delete from rollup_day_endpoint where day < cut;
    delete from rollup_user_hour where hour < cut;
    delete from rollup_day where day < cut;
    delete from rollup_day_user where day < cut;
    delete from rollup_day_endpoint_type where day < cut;
    delete from rollup_user_day where day < cut;
  end if;
end $$;
`;
  }
});

// server/store/postgres/migrations/0005_drawn_indexes.ts
var sql5;
var init_drawn_indexes = __esm({
  "server/store/postgres/migrations/0005_drawn_indexes.ts"() {
    "use strict";
    sql5 = /* sql */
    `
create index rollup_minute_drawn on rollup_minute (org_id, resource_type, minute) include (drawn) where drawn > 0;
create index rollup_user_day_drawn on rollup_user_day (org_id, resource_type, day) include (user_id, drawn) where drawn > 0;
`;
  }
});

// server/store/postgres/migrations/0006_drawing_events.ts
var sql6;
var init_drawing_events = __esm({
  "server/store/postgres/migrations/0006_drawing_events.ts"() {
    "use strict";
    sql6 = /* sql */
    `
create index events_drawn_user on events (org_id, user_id, created, id) where surplus_amount > 0;
create index events_drawn_endpoint on events (org_id, endpoint, created, id) where surplus_amount > 0;
`;
  }
});

// server/store/postgres/migrations/0007_user_rollups_by_user.ts
var sql7;
var init_user_rollups_by_user = __esm({
  "server/store/postgres/migrations/0007_user_rollups_by_user.ts"() {
    "use strict";
    sql7 = /* sql */
    `
create index rollup_hour_user_by_user on rollup_hour_user (org_id, resource_type, user_id, hour) include (io_type, pool_category, amount, events, drawn);
create index rollup_day_user_by_user on rollup_day_user (org_id, resource_type, user_id, day) include (io_type, pool_category, amount, events, drawn);
`;
  }
});

// server/store/postgres/migrations/index.ts
var MIGRATIONS2;
var init_migrations = __esm({
  "server/store/postgres/migrations/index.ts"() {
    "use strict";
    init_initial();
    init_user_hour_rollup();
    init_day_rollups();
    init_user_totals();
    init_drawn_indexes();
    init_drawing_events();
    init_user_rollups_by_user();
    MIGRATIONS2 = [
      { version: 1, name: "initial", sql },
      { version: 2, name: "user hour rollup", sql: sql2 },
      { version: 3, name: "day rollups", sql: sql3 },
      { version: 4, name: "user totals", sql: sql4 },
      { version: 5, name: "drawn indexes", sql: sql5 },
      { version: 6, name: "drawing events", sql: sql6 },
      { version: 7, name: "user rollups by user", sql: sql7 }
    ];
  }
});

// server/store/postgres/migrate.ts
async function migrate2(pool, migrations = MIGRATIONS2) {
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await client.query(
        "create table if not exists usage_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())"
      );
      const { rows } = await client.query("select version from usage_migrations");
      const applied = new Set(rows.map((row) => row.version));
      const done = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query("begin");
        try {
          await client.query(migration.sql);
          await client.query("insert into usage_migrations (version, name) values ($1, $2)", [migration.version, migration.name]);
          await client.query("commit");
        } catch (error) {
          await client.query("rollback");
          throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${error.message}`, { cause: error });
        }
        done.push(migration.version);
      }
      return done;
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
var MIGRATION_LOCK;
var init_migrate = __esm({
  "server/store/postgres/migrate.ts"() {
    "use strict";
    init_migrations();
    MIGRATION_LOCK = 7215370913;
  }
});

// server/store/postgres/notifications.ts
import pg from "pg";
var RECONNECT_MS, Notifications, POLL_MS, IdPoller;
var init_notifications = __esm({
  "server/store/postgres/notifications.ts"() {
    "use strict";
    init_ingest2();
    RECONNECT_MS = 1e3;
    Notifications = class {
      #config;
      #listeners = /* @__PURE__ */ new Map();
      #client = null;
      #connecting = null;
      #closed = false;
      #retry = null;
      constructor(config) {
        this.#config = config;
      }
      /** Calls `listener` after events of `orgId` become visible; returns the unsubscribe. */
      watch(orgId, listener) {
        let set = this.#listeners.get(orgId);
        if (!set) {
          set = /* @__PURE__ */ new Set();
          this.#listeners.set(orgId, set);
        }
        set.add(listener);
        void this.#connect();
        return () => {
          set.delete(listener);
          if (!set.size) this.#listeners.delete(orgId);
        };
      }
      /** Wakes this process's listeners of `orgId` (right after a local commit). */
      notify(orgId) {
        for (const listener of [...this.#listeners.get(orgId) ?? []]) listener();
      }
      #notifyAll() {
        for (const orgId of [...this.#listeners.keys()]) this.notify(orgId);
      }
      /** Resolves once listening (or after a failed attempt, with a retry scheduled). */
      ready() {
        return this.#connect();
      }
      #connect() {
        if (this.#closed || this.#client) return Promise.resolve();
        if (this.#connecting) return this.#connecting;
        this.#connecting = (async () => {
          const client = new pg.Client(this.#config);
          client.on("notification", (message) => {
            if (message.payload) this.notify(message.payload);
          });
          client.on("error", () => this.#lost(client));
          client.on("end", () => this.#lost(client));
          try {
            await client.connect();
            await client.query(`listen ${EVENTS_CHANNEL}`);
            if (this.#closed) {
              await client.end();
              return;
            }
            this.#client = client;
            this.#notifyAll();
          } catch {
            client.removeAllListeners("end");
            void client.end().catch(() => {
            });
            this.#scheduleRetry();
          } finally {
            this.#connecting = null;
          }
        })();
        return this.#connecting;
      }
      #lost(client) {
        if (this.#client !== client) return;
        this.#client = null;
        this.#scheduleRetry();
      }
      #scheduleRetry() {
        if (this.#closed || this.#retry) return;
        this.#retry = setTimeout(() => {
          this.#retry = null;
          void this.#connect();
        }, RECONNECT_MS);
        this.#retry.unref?.();
      }
      async close() {
        this.#closed = true;
        if (this.#retry) clearTimeout(this.#retry);
        this.#listeners.clear();
        await this.#connecting;
        const client = this.#client;
        this.#client = null;
        if (client) await client.end().catch(() => {
        });
      }
    };
    POLL_MS = 250;
    IdPoller = class {
      #pool;
      #listeners = /* @__PURE__ */ new Map();
      #seen = /* @__PURE__ */ new Map();
      #timer = null;
      #closed = false;
      constructor(pool) {
        this.#pool = pool;
      }
      watch(orgId, listener) {
        let set = this.#listeners.get(orgId);
        if (!set) {
          set = /* @__PURE__ */ new Set();
          this.#listeners.set(orgId, set);
        }
        set.add(listener);
        this.#schedule();
        return () => {
          set.delete(listener);
          if (!set.size) {
            this.#listeners.delete(orgId);
            this.#seen.delete(orgId);
          }
        };
      }
      notify(orgId) {
        for (const listener of [...this.#listeners.get(orgId) ?? []]) listener();
      }
      #schedule() {
        if (this.#closed || this.#timer || !this.#listeners.size) return;
        this.#timer = setTimeout(() => void this.#poll(), POLL_MS);
        this.#timer.unref?.();
      }
      async #poll() {
        try {
          const { rows } = await this.#pool.query(
            "select org_id, last_event_id from organizations where org_id = any($1::text[])",
            [[...this.#listeners.keys()]]
          );
          for (const row of rows) {
            const before = this.#seen.get(row.org_id);
            this.#seen.set(row.org_id, row.last_event_id);
            if (before !== row.last_event_id) this.notify(row.org_id);
          }
        } catch {
          for (const orgId of this.#listeners.keys()) this.#seen.set(orgId, -1);
        } finally {
          this.#timer = null;
          this.#schedule();
        }
      }
      async close() {
        this.#closed = true;
        if (this.#timer) clearTimeout(this.#timer);
        this.#listeners.clear();
      }
    };
  }
});

// server/store/postgres/postgres-store.ts
import pg2 from "pg";
async function createPostgresStore(options) {
  const store2 = new PostgresStore(options);
  if (options.readOnly) return store2;
  try {
    await migrate2(store2.pool);
    await store2.ensurePartitions(options.now?.() ?? Date.now(), (options.now?.() ?? Date.now()) + PARTITIONS_AHEAD);
  } catch (error) {
    await store2.close();
    throw error;
  }
  return store2;
}
function toUser2(row) {
  const user = { id: row.user_id };
  if (row.name !== null) user.name = row.name;
  if (row.email !== null) user.email = row.email;
  return user;
}
function narrows(filter) {
  return filter.resourceType !== void 0 || Boolean(filter.userIds?.length || filter.endpoints?.length || filter.poolCategories?.length || filter.ioTypes?.length) || filter.amountMin !== void 0 || filter.amountMax !== void 0 || filter.requestId !== void 0;
}
function branchFilters(filter, sort) {
  if (sort === "amount" && filter.resourceType === void 0) return RESOURCE_TYPES.map((resourceType) => ({ ...filter, resourceType }));
  for (const key of ["userIds", "endpoints", "poolCategories", "ioTypes"]) {
    const values = [...new Set(filter[key] ?? [])];
    if (values.length > 1 && values.length <= MAX_BRANCHES) return values.map((value) => ({ ...filter, [key]: [value] }));
  }
  return [filter];
}
function orderBy2(order) {
  const direction = order.order === "desc" ? "desc" : "asc";
  const column = SORT_COLUMN[order.sort];
  return column === "created" ? `order by created ${direction}, id ${direction}` : `order by ${column} ${direction}, created ${direction}, id ${direction}`;
}
var WEEK2, PARTITIONS_AHEAD, ITERATE_BATCH2, INT8_OID, NUMERIC_OID, NO_PARTITION, QUERY_CANCELED, COUNT_CHUNK, types, PostgresStore, SORT_WHOLE_LIMIT, MAX_BRANCHES, ROLLUP_DAY_ENDPOINT_COLUMNS, EARLY_PAGE;
var init_postgres_store = __esm({
  "server/store/postgres/postgres-store.ts"() {
    "use strict";
    init_contract();
    init_aggregates();
    init_ingest2();
    init_migrate();
    init_notifications();
    init_slices();
    init_sql();
    WEEK2 = 7 * DAY6;
    PARTITIONS_AHEAD = 4 * WEEK2;
    ITERATE_BATCH2 = 1e3;
    INT8_OID = 20;
    NUMERIC_OID = 1700;
    NO_PARTITION = "23514";
    QUERY_CANCELED = "57014";
    COUNT_CHUNK = 1e4;
    types = {
      getTypeParser(oid, format) {
        if (oid === INT8_OID || oid === NUMERIC_OID) return (value) => Number(value);
        return pg2.types.getTypeParser(oid, format);
      }
    };
    PostgresStore = class {
      #notifications;
      #readOnly;
      #sortWholeLimit;
      /** Week starts whose partition is known to exist. */
      #partitions = /* @__PURE__ */ new Set();
      constructor(options) {
        const config = { connectionString: options.connectionString, types, options: "-c TimeZone=UTC" };
        this.pool = new pg2.Pool({ ...config, max: options.max ?? 10 });
        this.pool.on("error", () => {
        });
        this.#readOnly = options.readOnly ?? false;
        this.#sortWholeLimit = options.sortWholeLimit ?? SORT_WHOLE_LIMIT;
        this.#notifications = this.#readOnly ? new IdPoller(this.pool) : new Notifications(config);
      }
      #writable() {
        if (this.#readOnly) throw new Error("This PostgreSQL store is read-only (a replica): write through a store on the primary.");
      }
      async #rows(sql8, values = []) {
        return (await this.pool.query(sql8, values)).rows;
      }
      #query = (sql8, values) => this.#rows(sql8, values);
      /** Makes the weekly partitions of `[from, to)` that this process has not seen yet. */
      async ensurePartitions(from, to) {
        this.#writable();
        const first = weekStart(from);
        let missing = false;
        for (let week = first; week < to; week += WEEK2) if (!this.#partitions.has(week)) missing = true;
        if (!missing) return;
        await this.pool.query("select ensure_event_partitions($1, $2)", [toTimestamp(first), toTimestamp(to)]);
        for (let week = first; week < to; week += WEEK2) this.#partitions.add(week);
      }
      /**
       * Retention: drops every weekly events partition that ends at or before `before`, with
       * the rollup rows of those weeks, and returns the dropped partitions' names. A week that
       * is still partly inside the kept range is kept whole.
       */
      async dropEventsBefore(before) {
        this.#writable();
        const rows = await this.#rows("select drop_events_before($1) as name", [toTimestamp(before)]);
        this.#partitions.clear();
        return rows.map((row) => row.name);
      }
      async findToken(tokenHash) {
        const [row] = await this.#rows("select org_id, scopes from tokens where token_hash = $1", [tokenHash]);
        return row ? { orgId: row.org_id, scopes: row.scopes } : null;
      }
      async putOrganization(org) {
        this.#writable();
        await this.pool.query(
          "insert into organizations (org_id, name) values ($1, $2) on conflict (org_id) do update set name = excluded.name",
          [org.id, org.name]
        );
      }
      async getOrganization(orgId) {
        const [row] = await this.#rows("select name from organizations where org_id = $1", [orgId]);
        return row ? { id: orgId, name: row.name } : null;
      }
      async putToken(tokenHash, grant) {
        this.#writable();
        await this.pool.query(
          "insert into tokens (token_hash, org_id, scopes) values ($1, $2, $3) on conflict (token_hash) do update set org_id = excluded.org_id, scopes = excluded.scopes",
          [tokenHash, grant.orgId, [...grant.scopes]]
        );
      }
      async #requireOrganization(orgId) {
        if (!await this.getOrganization(orgId)) throw new Error(`No organization ${orgId}.`);
      }
      async setOrganizationLimits(orgId, limits) {
        this.#writable();
        await this.#requireOrganization(orgId);
        await this.pool.query(
          `insert into org_limits (org_id, effective_from, weekly_token_limit, storage_limit, surplus_capacity_ocr, surplus_capacity_storage, surplus_capacity_tokens)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (org_id, effective_from) do update set weekly_token_limit = excluded.weekly_token_limit,
         storage_limit = excluded.storage_limit, surplus_capacity_ocr = excluded.surplus_capacity_ocr,
         surplus_capacity_storage = excluded.surplus_capacity_storage, surplus_capacity_tokens = excluded.surplus_capacity_tokens`,
          [
            orgId,
            toTimestamp(limits.effectiveFrom),
            limits.weeklyTokenLimit,
            limits.storageLimit,
            limits.surplusCapacity.ocr,
            limits.surplusCapacity.storage,
            limits.surplusCapacity.tokens
          ]
        );
      }
      async putUsers(orgId, users) {
        this.#writable();
        await this.#requireOrganization(orgId);
        if (!users.length) return;
        await this.pool.query(
          `insert into users (org_id, user_id, name, email, search_id, search_name, search_email)
       select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       on conflict (org_id, user_id) do update set name = excluded.name, email = excluded.email,
         search_name = excluded.search_name, search_email = excluded.search_email`,
          [
            orgId,
            users.map((u) => u.id),
            users.map((u) => u.name ?? null),
            users.map((u) => u.email ?? null),
            users.map((u) => u.id.toLowerCase()),
            users.map((u) => u.name?.toLowerCase() ?? null),
            users.map((u) => u.email?.toLowerCase() ?? null)
          ]
        );
      }
      async setUserLimits(orgId, userId, limits) {
        this.#writable();
        if (!await this.getUser(orgId, userId)) throw new Error(`No user ${userId} in ${orgId}.`);
        if (!limits.length) return;
        await this.pool.query(
          `insert into user_limits (org_id, user_id, resource_type, effective_from, base_per_4h, surplus_per_4h)
       select $1, $2, * from unnest($3::int2[], $4::timestamptz[], $5::int8[], $6::int8[])
       on conflict (org_id, user_id, resource_type, effective_from) do update
       set base_per_4h = excluded.base_per_4h, surplus_per_4h = excluded.surplus_per_4h`,
          [
            orgId,
            userId,
            limits.map((l) => resourceTypes.code(l.resourceType)),
            limits.map((l) => toTimestamp(l.effectiveFrom)),
            limits.map((l) => l.basePer4h),
            limits.map((l) => l.surplusPer4h)
          ]
        );
      }
      async organizationLimits(orgId) {
        const rows = await this.#rows(
          "select * from org_limits where org_id = $1 order by effective_from",
          [orgId]
        );
        return rows.map(toOrganizationLimits2);
      }
      async userLimits(orgId, userId) {
        const rows = await this.#rows(
          "select * from user_limits where org_id = $1 and user_id = $2 order by effective_from, resource_type",
          [orgId, userId]
        );
        return rows.map(toUserLimits2);
      }
      async getUser(orgId, userId) {
        const [row] = await this.#rows("select user_id, name, email from users where org_id = $1 and user_id = $2", [orgId, userId]);
        return row ? toUser2(row) : null;
      }
      async listUsers(orgId, query) {
        const params = new Params();
        const conditions2 = [`org_id = ${params.add(orgId)}`];
        if (query.ids?.length) conditions2.push(`user_id = any(${params.add(query.ids, "text[]")})`);
        if (query.q) {
          const needle = params.add(query.q.toLowerCase());
          conditions2.push(`(strpos(search_id, ${needle}) > 0 or strpos(search_name, ${needle}) > 0 or strpos(search_email, ${needle}) > 0)`);
        }
        const where = conditions2.join(" and ");
        const whereValues = [...params.values];
        const [items, [count]] = await Promise.all([
          this.#rows(
            `select user_id, name, email from users where ${where} order by user_id limit ${params.add(query.limit)} offset ${params.add(query.offset)}`,
            params.values
          ),
          this.#rows(`select count(*) as n from users where ${where}`, whereValues)
        ]);
        return { items: items.map(toUser2), total: count.n };
      }
      async listEndpoints(orgId, query) {
        const counts = await endpointCounts2(this.#query, orgId, query.since, query.maxId);
        const needle = query.q?.toLowerCase() ?? "";
        return counts.filter((use) => !needle || use.endpoint.toLowerCase().includes(needle)).sort((a, b) => b.events - a.events || compareCodePoints(a.endpoint, b.endpoint)).slice(0, query.limit);
      }
      async lastEventId(orgId) {
        const [row] = await this.#rows("select last_event_id from organizations where org_id = $1", [orgId]);
        return row?.last_event_id ?? 0;
      }
      #select(orgId, filter, params) {
        return `select ${EVENT_COLUMNS} from events where ${whereClause(orgId, filter, params, { time: "created", maxId: true, columns: EVENT_FILTER_COLUMNS })}`;
      }
      /**
       * One page in two steps: the page's keys `(created, id)` from the sort column's index
       * alone (every sort index ends in `created, id`, so skipping to a deep page reads no
       * table rows when the filter is on indexed columns), then those rows. Where one index
       * read cannot come out in order — a sort by amount over every type (the amount index
       * leads with the type: different units), or a filter with several values — it merges
       * one ordered read per value (`branchFilters`).
       *
       * An ordered read filters as it goes, so a narrow filter on other columns (a rare
       * endpoint's hybrid outputs, sorted by request ID) would walk most of the index; the
       * planner cannot know how rare the combination is. So a narrowing filter is counted
       * first (up to `sortWholeLimit` + 1, through the filter's own best index): when it
       * matches at most that many events, they are read through the filter's index and
       * sorted, which takes a few milliseconds; beyond it, an ordered read finds a page fast.
       */
      async queryEvents(orgId, filter, page) {
        const narrowed = page.offset + page.limit <= EARLY_PAGE ? await this.#valueBranches(orgId, filter, page.sort) : null;
        if (narrowed?.length === 0) return [];
        if (narrowed?.length === 1) filter = narrowed[0];
        const params = new Params();
        const parts = { time: "created", maxId: true, columns: EVENT_FILTER_COLUMNS };
        const order = orderBy2(page);
        const limit = params.add(page.limit);
        const offset = params.add(page.offset);
        const branches = narrowed ?? branchFilters(filter, page.sort);
        const column = SORT_COLUMN[page.sort];
        const selected = column === "created" ? "created, id" : `created, id, ${column}`;
        let keys;
        const few = async (f) => narrows(f) && this.#sortWholeLimit > 0 && await this.countEvents(orgId, f, this.#sortWholeLimit + 1) <= this.#sortWholeLimit;
        const sortedWhole = (f, bound) => `with matching as materialized (select ${selected} from events where ${whereClause(orgId, f, params, parts)})
        select ${selected} from matching ${order} ${bound}`;
        if (await few(filter)) {
          keys = `select created, id from (${sortedWhole(filter, `limit ${limit} offset ${offset}`)}) whole`;
        } else if (branches.length > 1) {
          const reach = params.add(page.offset + page.limit);
          const reads = await Promise.all(
            branches.map(
              async (branch) => await few(branch) ? `(${sortedWhole(branch, `limit ${reach}`)})` : `(select ${selected} from events where ${whereClause(orgId, branch, params, parts)} ${order} limit ${reach})`
            )
          );
          keys = `select created, id from (${reads.join(" union all ")}) branches ${order} limit ${limit} offset ${offset}`;
        } else {
          keys = `select created, id from events where ${whereClause(orgId, filter, params, parts)} ${order} limit ${limit} offset ${offset}`;
        }
        const rows = await this.#rows(
          `select ${EVENT_COLUMNS} from events join (${keys}) page using (created, id) where org_id = ${params.add(orgId)} ${order}`,
          params.values
        );
        return rows.map(toEvent);
      }
      /**
       * For an early page sorted by a column with few values per filter, one filter per value
       * that the daily endpoint rollup holds under the filter on the days its range touches (a
       * superset of the values with a match; none: nothing matches), or null when this does not
       * apply. An ordered read along the sort column's index walks the events of every value
       * before the first that matches: sorted by endpoint under a type, the endpoints without
       * that type (storage over 90 days: 1.1 s); sorted by type, pool category or I/O type
       * under an endpoint filter, the values that endpoint lacks (an OCR endpoint sorted by
       * type desc walked every token event: 1.1 s). One read per held value, merged, does not.
       * Sorted by amount with no type filter, under endpoints or users, the types they hold
       * (users' from rollup_user_hour): a type they lack was counted through the filter's index
       * before being skipped (an endpoint sorted by amount over 90 days: 0.55 s). When every
       * value of an enumeration is held, nothing is skipped and this does not apply.
       */
      async #valueBranches(orgId, filter, sort) {
        const byType = filter.resourceType === void 0 && (sort === "amount" || sort === "resourceType");
        const byEndpoint = sort === "endpoint" && filter.resourceType !== void 0 && !filter.endpoints?.length;
        const underEndpoints = Boolean(filter.endpoints?.length) && (byType || sort === "poolCategory" && !filter.poolCategories?.length || sort === "ioType" && !filter.ioTypes?.length);
        const underUsers = !filter.endpoints?.length && Boolean(filter.userIds?.length) && sort === "amount" && filter.resourceType === void 0;
        if (!byEndpoint && !underEndpoints && !underUsers) return null;
        const column = byType ? "resource_type" : SORT_COLUMN[sort];
        const params = new Params();
        const touched = (column2) => [
          ...filter.from === void 0 ? [] : [`${column2} >= ${params.add(toTimestamp(Math.floor(filter.from / DAY6) * DAY6), "timestamptz")}`],
          ...filter.to === void 0 ? [] : [`${column2} < ${params.add(toTimestamp(filter.to), "timestamptz")}`]
        ];
        let sql8;
        if (underUsers) {
          const conditions2 = [`org_id = ${params.add(orgId)}`, "resource_type = t", `user_id = any(${params.add(filter.userIds, "text[]")})`, "events > 0"];
          sql8 = `select t as value from unnest(${params.add(RESOURCE_TYPES.map(resourceTypes.code), "int2[]")}) t
        where exists (select 1 from rollup_user_hour where ${[...conditions2, ...touched("hour")].join(" and ")})`;
        } else {
          const held = {
            resourceType: filter.resourceType,
            endpoints: filter.endpoints,
            poolCategories: filter.poolCategories,
            ioTypes: filter.ioTypes
          };
          const conditions2 = [whereClause(orgId, held, params, { columns: ROLLUP_DAY_ENDPOINT_COLUMNS }), "events > 0", ...touched("day")];
          sql8 = `select distinct ${column} as value from rollup_day_endpoint_type where ${conditions2.join(" and ")}`;
        }
        const rows = await this.#rows(sql8, params.values);
        if (rows.length > MAX_BRANCHES) return null;
        const values = { resource_type: RESOURCE_TYPES.length, pool_category: POOL_CATEGORIES.length, io_type: IO_TYPES.length }[column];
        if (rows.length === values) return null;
        return rows.map(({ value }) => {
          if (column === "resource_type") return { ...filter, resourceType: resourceTypes.name(value) };
          if (column === "endpoint") return { ...filter, endpoints: [value] };
          if (column === "pool_category") return { ...filter, poolCategories: [poolCategories.name(value)] };
          return { ...filter, ioTypes: [ioTypes.name(value)] };
        });
      }
      async countEvents(orgId, filter, cap) {
        const params = new Params();
        const where = whereClause(orgId, filter, params, { time: "created", maxId: true, columns: EVENT_FILTER_COLUMNS });
        const [row] = await this.#rows(
          `select count(*) as n from (select 1 from events where ${where} limit ${params.add(cap)}) s`,
          params.values
        );
        return row.n;
      }
      /**
       * `countEvents` within a time budget, for the events page's `total`: counts in chunks
       * through a cursor and stops when `budgetMs` has passed (a chunk that overruns it is
       * cancelled by `statement_timeout`). `exact` false means `count` is a lower bound
       * (`totalIsExact: false`); the CSV's row limit keeps using the exact `countEvents`.
       */
      async countEventsWithin(orgId, filter, cap, budgetMs) {
        const started = performance.now();
        const client = await this.pool.connect();
        let count = 0;
        let healthy = true;
        try {
          await client.query("begin read only");
          await client.query(`set local statement_timeout = ${Math.max(1, Math.ceil(budgetMs))}`);
          const params = new Params();
          const where = whereClause(orgId, filter, params, { time: "created", maxId: true, columns: EVENT_FILTER_COLUMNS });
          await client.query(`declare events_count no scroll cursor for select 1 from events where ${where} limit ${params.add(cap)}`, params.values);
          for (; ; ) {
            const moved = (await client.query(`move forward ${COUNT_CHUNK} in events_count`)).rowCount ?? 0;
            count += moved;
            if (moved < COUNT_CHUNK) return { count, exact: true };
            if (performance.now() - started >= budgetMs) return { count, exact: false };
          }
        } catch (error) {
          if (error.code !== QUERY_CANCELED) {
            healthy = false;
            throw error;
          }
          return { count, exact: false };
        } finally {
          await client.query("rollback").catch(() => {
            healthy = false;
          });
          client.release(!healthy);
        }
      }
      /** A cursor in one transaction: one sort, then batches, whatever the order. */
      async *iterateEvents(orgId, filter, order) {
        const client = await this.pool.connect();
        let failed = false;
        try {
          await client.query("begin read only");
          const params = new Params();
          await client.query(`declare events_csv no scroll cursor for ${this.#select(orgId, filter, params)} ${orderBy2(order)}`, params.values);
          for (; ; ) {
            const { rows } = await client.query(`fetch ${ITERATE_BATCH2} from events_csv`);
            if (!rows.length) break;
            yield rows.map(toEvent);
            if (rows.length < ITERATE_BATCH2) break;
          }
        } catch (error) {
          failed = true;
          throw error;
        } finally {
          await client.query("rollback").catch(() => {
            failed = true;
          });
          client.release(failed);
        }
      }
      sumByKey(orgId, filter, groupBy) {
        return sumByKey2(this.#query, orgId, filter, groupBy);
      }
      sumByBucket(orgId, filter, edges, groupBy, keys) {
        return sumByBucket2(this.#query, orgId, filter, edges, groupBy, keys);
      }
      drawnByMinute(orgId, resourceType, from, to, maxId) {
        return drawnByMinute2(this.#query, orgId, resourceType, from, to, maxId);
      }
      surplusBuckets(orgId, resourceType, edges, maxId) {
        return surplusBuckets2(this.#query, orgId, resourceType, edges, maxId);
      }
      async eventsAfter(orgId, afterId, limit) {
        const rows = await this.#rows(
          `select ${EVENT_COLUMNS} from events where org_id = $1 and id > $2 order by id limit $3`,
          [orgId, afterId, limit]
        );
        return rows.map(toEvent);
      }
      async countEventsAfter(orgId, afterId, cap) {
        const [row] = await this.#rows(
          "select count(*) as n from (select 1 from events where org_id = $1 and id > $2 limit $3) s",
          [orgId, afterId, cap]
        );
        return row.n;
      }
      watch(orgId, listener) {
        return this.#notifications.watch(orgId, listener);
      }
      async ingest(orgId, entries, options = {}) {
        this.#writable();
        let first = Infinity;
        let last = -Infinity;
        for (const entry of entries) {
          if ("error" in entry) continue;
          first = Math.min(first, entry.created);
          last = Math.max(last, entry.created);
        }
        const any = first <= last;
        if (any) await this.ensurePartitions(first, last + 1);
        try {
          return await this.#ingestOnce(orgId, entries, options);
        } catch (error) {
          if (error.code !== NO_PARTITION || !any) throw error;
          this.#partitions.clear();
          await this.ensurePartitions(first, last + 1);
          return this.#ingestOnce(orgId, entries, options);
        }
      }
      async #ingestOnce(orgId, entries, options) {
        const client = await this.pool.connect();
        let outcome;
        try {
          await client.query("begin");
          outcome = await ingestInTransaction(client, orgId, entries, options);
          await client.query(outcome.kind === "stored" ? "commit" : "rollback");
        } catch (error) {
          await client.query("rollback").catch(() => {
          });
          client.release();
          throw error;
        }
        client.release();
        if (outcome.kind === "stored" && outcome.results.some((result) => !("error" in result))) this.#notifications.notify(orgId);
        return outcome;
      }
      async close() {
        await this.#notifications.close();
        await this.pool.end();
      }
    };
    SORT_WHOLE_LIMIT = 5e3;
    MAX_BRANCHES = 20;
    ROLLUP_DAY_ENDPOINT_COLUMNS = /* @__PURE__ */ new Set(["endpoint", "io_type", "pool_category"]);
    EARLY_PAGE = 1e3;
  }
});

// bench/lib/postgres.mjs
var postgres_exports = {};
__export(postgres_exports, {
  databaseCpuReader: () => databaseCpuReader,
  openPostgresBenchStore: () => openPostgresBenchStore
});
import { readFileSync, readdirSync as readdirSync2 } from "node:fs";
import { join as join3 } from "node:path";
import { performance as performance2 } from "node:perf_hooks";
async function openPostgresBenchStore({ events = 1e7, now = Date.now(), log: log2 = () => {
} } = {}) {
  const external = process.env.DATABASE_URL;
  const keepDir = `data/bench/postgres-${events}`;
  let cluster = external ? null : await startCluster({ keepDir, settings: { ...SETTINGS, ...DURABLE } });
  let url = external ?? cluster.url;
  let store2 = await createPostgresStore({ connectionString: url, max: 10, now: () => now });
  let seedSeconds = null;
  if (await store2.lastEventId(DEMO_ORG.orgId) === 0) {
    if (cluster) {
      await store2.close();
      await cluster.stop();
      cluster = await startCluster({ keepDir, settings: { ...SETTINGS, ...SEEDING } });
      url = cluster.url;
      store2 = await createPostgresStore({ connectionString: url, max: 10, now: () => now });
    }
    const started = performance2.now();
    let reported = 0;
    await seedDemo(store2, {
      events,
      now,
      tokens: TOKENS,
      onProgress: (written) => {
        if (written - reported >= 25e4) {
          reported = written;
          const seconds = (performance2.now() - started) / 1e3;
          log2(`seeded ${written.toLocaleString("en-US")} events (${Math.round(written / seconds).toLocaleString("en-US")}/s)`);
        }
      }
    });
    seedSeconds = (performance2.now() - started) / 1e3;
    await store2.pool.query("vacuum analyze");
    await store2.pool.query("checkpoint");
    if (cluster) {
      await store2.close();
      await cluster.stop();
      cluster = await startCluster({ keepDir, settings: { ...SETTINGS, ...DURABLE } });
      url = cluster.url;
      store2 = await createPostgresStore({ connectionString: url, max: 10, now: () => now });
    }
  }
  return {
    store: store2,
    url,
    seedSeconds,
    async close() {
      await store2.close();
      await cluster?.stop();
    }
  };
}
async function databaseCpuReader(pool) {
  let postmaster;
  try {
    const dir = (await pool.query("show data_directory")).rows[0].data_directory;
    postmaster = Number(readFileSync(join3(dir, "postmaster.pid"), "utf8").split("\n")[0]);
    readFileSync(`/proc/${postmaster}/schedstat`, "utf8");
  } catch {
    return null;
  }
  const TICK_MS = 10;
  const onCpuMs = (pid) => Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  const statFields = (pid) => {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  };
  return () => {
    const own = statFields(postmaster);
    let total = onCpuMs(postmaster) + (Number(own[13]) + Number(own[14])) * TICK_MS;
    for (const entry of readdirSync2("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (Number(statFields(entry)[1]) === postmaster) total += onCpuMs(entry);
      } catch {
      }
    }
    return total;
  };
}
var SETTINGS, DURABLE, SEEDING, TOKENS;
var init_postgres = __esm({
  async "bench/lib/postgres.mjs"() {
    "use strict";
    await init_pg_cluster();
    init_postgres_store();
    init_seed();
    init_demo();
    SETTINGS = {
      shared_buffers: "2GB",
      effective_cache_size: "8GB",
      work_mem: "32MB",
      maintenance_work_mem: "512MB",
      max_wal_size: "8GB",
      checkpoint_timeout: "30min",
      random_page_cost: "1.1",
      max_parallel_workers_per_gather: "1",
      jit: "off"
    };
    DURABLE = { fsync: "on", synchronous_commit: "on", full_page_writes: "on" };
    SEEDING = { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };
    TOKENS = { demoRead: DEMO_TOKEN, demoIngest: DEMO_INGEST_TOKEN, otherRead: OTHER_ORG_TOKEN, otherIngest: OTHER_ORG_INGEST_TOKEN };
  }
});

// bench/server.bench.mjs
init_handler();
init_seed();
init_demo();
import { mkdirSync as mkdirSync2, statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance as performance3 } from "node:perf_hooks";

// server/store/embedded/embedded-store.ts
init_contract();
init_contract();
import Database from "better-sqlite3";

// server/store/embedded/aggregates.ts
init_time_zone2();
init_slices();

// server/store/shared/sql-plan.ts
init_sql();
var EVENT_FILTER_COLUMNS2 = /* @__PURE__ */ new Set([
  "user_id",
  "endpoint",
  "io_type",
  "pool_category",
  "amount",
  "request_id"
]);
var ROLLUP_HOUR = { table: "rollup_hour", columns: /* @__PURE__ */ new Set(["io_type", "pool_category"]) };
var ROLLUP_HOUR_USER = { table: "rollup_hour_user", columns: /* @__PURE__ */ new Set(["user_id", "io_type", "pool_category"]) };
var ROLLUP_HOUR_ENDPOINT = { table: "rollup_hour_endpoint", columns: /* @__PURE__ */ new Set(["endpoint", "io_type", "pool_category"]) };
function rollupFor(filter, groupBy) {
  if (filter.amountMin !== void 0 || filter.amountMax !== void 0 || filter.requestId !== void 0) return null;
  const byUser = Boolean(filter.userIds?.length) || groupBy === "userId";
  const byEndpoint = Boolean(filter.endpoints?.length) || groupBy === "endpoint";
  if (byUser && byEndpoint) return null;
  if (byUser) return ROLLUP_HOUR_USER;
  if (byEndpoint) return ROLLUP_HOUR_ENDPOINT;
  return ROLLUP_HOUR;
}
var GROUP_COLUMN = {
  userId: "user_id",
  endpoint: "endpoint",
  ioType: "io_type",
  poolCategory: "pool_category"
};
function orderColumns(sort) {
  const column = SORT_COLUMN[sort];
  return column === "created" ? ["created", "id"] : [column, "created", "id"];
}
function keyName(groupBy, key) {
  if (key === null || !groupBy) return null;
  if (groupBy === "ioType") return ioTypes.name(Number(key));
  if (groupBy === "poolCategory") return poolCategories.name(Number(key));
  return String(key);
}
function rangeOf(filter, edges) {
  let from = filter.from ?? null;
  let to = filter.to ?? null;
  if (edges && edges.length) {
    from = from === null ? edges[0] : Math.max(from, edges[0]);
    to = to === null ? edges[edges.length - 1] : Math.min(to, edges[edges.length - 1]);
  }
  return [from, to];
}
function filterConditions(orgCondition, filter, sql8, parts) {
  const conditions2 = [orgCondition];
  const need = (column) => {
    if (!parts.columns.has(column)) throw new Error(`This table cannot filter on ${column}.`);
  };
  if (parts.maxId && filter.maxId !== void 0) conditions2.push(`id <= ${sql8.param(filter.maxId)}`);
  if (parts.time && filter.from !== void 0) conditions2.push(`${parts.time} >= ${sql8.instant(filter.from)}`);
  if (parts.time && filter.to !== void 0) conditions2.push(`${parts.time} < ${sql8.instant(filter.to)}`);
  if (filter.resourceType !== void 0) conditions2.push(`resource_type = ${sql8.param(resourceTypes.code(filter.resourceType))}`);
  if (filter.userIds?.length) {
    need("user_id");
    conditions2.push(sql8.inList("user_id", filter.userIds, "text"));
  }
  if (filter.endpoints?.length) {
    need("endpoint");
    conditions2.push(sql8.inList("endpoint", filter.endpoints, "text"));
  }
  if (filter.poolCategories?.length) {
    need("pool_category");
    conditions2.push(sql8.inList("pool_category", filter.poolCategories.map(poolCategories.code), "int2"));
  }
  if (filter.ioTypes?.length) {
    need("io_type");
    conditions2.push(sql8.inList("io_type", filter.ioTypes.map(ioTypes.code), "int2"));
  }
  if (filter.amountMin !== void 0) {
    need("amount");
    conditions2.push(`amount >= ${sql8.param(filter.amountMin)}`);
  }
  if (filter.amountMax !== void 0) {
    need("amount");
    conditions2.push(`amount <= ${sql8.param(filter.amountMax)}`);
  }
  if (filter.requestId !== void 0) {
    need("request_id");
    conditions2.push(`request_id = ${sql8.param(filter.requestId)}`);
  }
  return conditions2.join(" AND ");
}

// server/store/embedded/sql.ts
init_contract();
init_sql();
var NamedParams = class {
  constructor() {
    this.values = [];
  }
  add(value) {
    this.values.push(value);
    return `@p${this.values.length}`;
  }
  /** The object better-sqlite3 binds the names from. */
  bind() {
    const named = {};
    this.values.forEach((value, i) => {
      named[`p${i + 1}`] = value;
    });
    return named;
  }
};
function sqlite(params) {
  return {
    param: (value) => params.add(value),
    instant: (ms) => params.add(ms),
    inList: (column, values) => values.length === 1 ? `${column} = ${params.add(values[0])}` : `${column} IN (${values.map((value) => params.add(value)).join(", ")})`
  };
}
function conditions(org, filter, params, parts) {
  return filterConditions(`org = ${params.add(org)}`, filter, sqlite(params), parts);
}
function timeRange2(column, from, to, params) {
  let sql8 = "";
  if (from !== null) sql8 += ` AND ${column} >= ${params.add(from)}`;
  if (to !== null) sql8 += ` AND ${column} < ${params.add(to)}`;
  return sql8;
}
function orderBy(order) {
  const direction = order.order === "desc" ? "DESC" : "ASC";
  return `ORDER BY ${orderColumns(order.sort).map((column) => `${column} ${direction}`).join(", ")}`;
}
var EVENT_COLUMNS2 = "id, created, user_id, amount, resource_type, pool_category, io_type, request_id, endpoint, surplus_amount";
function toEvent2(row) {
  return {
    id: String(row.id),
    created: formatInstant(row.created),
    userId: row.user_id,
    amount: row.amount,
    resourceType: resourceTypes.name(row.resource_type),
    poolCategory: poolCategories.name(row.pool_category),
    ioType: ioTypes.name(row.io_type),
    requestId: row.request_id,
    endpoint: row.endpoint,
    surplusAmount: row.surplus_amount
  };
}
var SHORT_RANGE = 31 * 864e5;
function amountRangeIndex(filter, reads) {
  const amounts = filter.amountMin !== void 0 || filter.amountMax !== void 0;
  const narrower = filter.userIds?.length || filter.endpoints?.length || filter.requestId !== void 0;
  const short = filter.from !== void 0 && filter.to !== void 0 && filter.to - filter.from <= SHORT_RANGE;
  return amounts && filter.resourceType !== void 0 && !narrower && (reads === "rows" || short) ? " INDEXED BY events_type_time_amount" : "";
}

// server/store/embedded/aggregates.ts
var MINUTE7 = 6e4;
var DAY_TABLE = {
  rollup_hour: "rollup_day",
  rollup_hour_user: "rollup_day_user",
  rollup_hour_endpoint: "rollup_day_endpoint",
  rollup_hour_user_total: "rollup_day_user_total"
};
var MINUTE_TABLE = { rollup_hour: "rollup_minute_detail" };
var ROLLUP_HOUR_USER_TOTAL = { table: "rollup_hour_user_total", columns: /* @__PURE__ */ new Set(["user_id"]) };
function rollupOf(filter, groupBy) {
  const rollup = rollupFor(filter, groupBy);
  const split = filter.ioTypes?.length || filter.poolCategories?.length || groupBy === "ioType" || groupBy === "poolCategory";
  return rollup?.table === "rollup_hour_user" && !split ? ROLLUP_HOUR_USER_TOTAL : rollup;
}
function userTotalsIndex(table, filter) {
  if (table !== "rollup_hour_user_total") return "";
  return filter.userIds?.length ? " INDEXED BY rollup_hour_user_total_by_user" : " NOT INDEXED";
}
function everyUser(table, filter, orgParam) {
  return table === "rollup_day_user_total" && !filter.userIds?.length ? ` AND user_id IN (SELECT user_id FROM users WHERE org = ${orgParam})` : "";
}
function aligned(edges, grain) {
  if (!edges) return true;
  for (let i = 1; i < edges.length - 1; i++) if (edges[i] % grain !== 0) return false;
  return true;
}
function bucketOf(edges, t) {
  return bucketIndex(edges, Math.max(t, edges[0]));
}
function eventTime(edges) {
  if (!edges) return "0";
  return aligned(edges, MINUTE7) ? `created - created % ${MINUTE7}` : "created";
}
function eventsSource(sign) {
  return sign === "-" ? "events NOT INDEXED" : "events";
}
function idRange(ids, sign, orgParam) {
  return sign === "-" ? `${ids} AND id <= (SELECT last_event_id FROM organizations WHERE org = ${orgParam})` : ids;
}
function jsonRows(query, columns, parts, params) {
  const [row] = query(`SELECT json_group_array(json_array(${columns})) AS rows FROM (${parts.join(" UNION ALL ")})`, params);
  return JSON.parse(row.rows);
}
function anyEventIn(query, org, from, to) {
  if (from >= to) return false;
  const params = new NamedParams();
  const [row] = query(
    `SELECT EXISTS (SELECT 1 FROM events WHERE org = ${params.add(org)}${timeRange2("created", from, to, params)}) AS found`,
    params
  );
  return row.found === 1;
}
function sums(query, org, filter, edges, groupBy) {
  const out = /* @__PURE__ */ new Map();
  const [from, to] = rangeOf(filter, edges);
  if (from !== null && to !== null && from >= to) return out;
  const params = new NamedParams();
  const orgParam = params.add(org);
  const key = groupBy ? GROUP_COLUMN[groupBy] : "NULL";
  const time = eventTime(edges);
  const rollup = rollupOf(filter, groupBy);
  const tiers = [];
  if (rollup) {
    const minuteTable = aligned(edges, HOUR4) ? void 0 : MINUTE_TABLE[rollup.table];
    for (const [grain, column, table] of [
      [DAY6, "day", DAY_TABLE[rollup.table]],
      [HOUR4, "hour", rollup.table],
      ...minuteTable ? [[MINUTE7, "minute", minuteTable]] : []
    ]) {
      if (!aligned(edges, grain)) continue;
      tiers.push({
        grain,
        sql: (a, b) => `SELECT ${edges ? column : "0"} AS t, ${key} AS k, sum(amount) AS v, sum(events) AS n FROM ${table}${userTotalsIndex(table, filter)} WHERE ${conditions(org, filter, params, { columns: rollup.columns })}${everyUser(table, filter, orgParam)}${timeRange2(column, a, b, params)} GROUP BY ${edges ? `${column}, ` : ""}${key}`
      });
    }
  }
  const byUnit = (a, b, ids, sign, unit) => {
    const correction = ids.startsWith("id >");
    return `SELECT ${edges ? `created - created % ${unit === "hour" ? HOUR4 : DAY6}` : "0"} AS t, ${key} AS k, ${sign}sum(amount) AS v, ${sign}count(*) AS n FROM ${correction ? eventsSource("-") : `events${amountRangeIndex(filter, "rows")}`} WHERE ${conditions(org, filter, params, { columns: EVENT_FILTER_COLUMNS2 })} AND ${correction ? idRange(ids, "-", orgParam) : ids}${timeRange2("created", a, b, params)} GROUP BY 1, 2`;
  };
  const hourly = tiers.some((tier) => tier.grain === HOUR4);
  const tailByRollup = hourly && to !== null && (to % HOUR4 >= HOUR4 / 2 || !anyEventIn(query, org, to, Math.ceil(to / HOUR4) * HOUR4));
  const hourStart = from === null ? null : Math.floor(from / HOUR4) * HOUR4;
  const headByRollup = hourly && from !== null && hourStart !== null && from !== hourStart && (to === null || hourStart + HOUR4 <= to) && (from - hourStart < HOUR4 / 2 || !anyEventIn(query, org, hourStart, from));
  const parts = sliceParts(
    {
      tiers,
      maxId: filter.maxId,
      events: (a, b, ids, sign) => `SELECT ${time} AS t, ${key} AS k, ${sign}sum(amount) AS v, ${sign}count(*) AS n FROM ${eventsSource(sign)}${sign ? "" : amountRangeIndex(filter, "rows")} WHERE ${conditions(org, filter, params, { columns: EVENT_FILTER_COLUMNS2 })} AND ${idRange(ids, sign, orgParam)}${timeRange2("created", a, b, params)} GROUP BY 1, 2`,
      ...tailByRollup ? { eventsByUnit: byUnit } : {}
    },
    params,
    headByRollup ? hourStart : from,
    to
  );
  if (headByRollup) parts.push(byUnit(hourStart, from, `id <= ${params.add(filter.maxId)}`, "-", "hour"));
  for (const [t, k, v, n] of jsonRows(query, "t, k, v, n", parts, params)) {
    if (n === 0) continue;
    const bucket = edges ? bucketOf(edges, t) : 0;
    if (bucket < 0) continue;
    let byKey = out.get(bucket);
    if (!byKey) out.set(bucket, byKey = /* @__PURE__ */ new Map());
    const sum = byKey.get(k);
    if (sum) {
      sum.amount += v;
      sum.events += n;
    } else {
      byKey.set(k, { amount: v, events: n });
    }
  }
  return out;
}
var GROUP_FILTER = { userId: "userIds", endpoint: "endpoints" };
function chosenAndRest(read, filter, groupBy, keys) {
  const chosen = keys.length ? read({ ...filter, [GROUP_FILTER[groupBy]]: keys }, groupBy) : /* @__PURE__ */ new Map();
  const out = [];
  for (const [bucket, total] of read(filter, null)) {
    let amount = 0;
    let events = 0;
    for (const sum of total.values()) {
      amount += sum.amount;
      events += sum.events;
    }
    for (const [code, sum] of chosen.get(bucket) ?? []) {
      if (sum.events <= 0) continue;
      out.push({ bucket, key: keyName(groupBy, code), amount: sum.amount });
      amount -= sum.amount;
      events -= sum.events;
    }
    if (events > 0) out.push({ bucket, key: null, amount });
  }
  return out;
}
function sumByBucket(query, org, filter, edges, groupBy, keys) {
  if (edges.length < 2) return [];
  if (keys && (groupBy === "userId" || groupBy === "endpoint") && !filter[GROUP_FILTER[groupBy]]?.length && rollupFor(filter, null)) {
    return chosenAndRest((f, g) => sums(query, org, f, edges, g), filter, groupBy, keys);
  }
  const wanted = keys ? new Set(keys) : null;
  const out = [];
  for (const [bucket, byKey] of sums(query, org, filter, edges, groupBy)) {
    const folded = /* @__PURE__ */ new Map();
    for (const [code, sum] of byKey) {
      if (sum.events <= 0) continue;
      let key = keyName(groupBy, code);
      if (key !== null && wanted && !wanted.has(key)) key = null;
      folded.set(key, (folded.get(key) ?? 0) + sum.amount);
    }
    for (const [key, amount] of folded) out.push({ bucket, key, amount });
  }
  return out;
}
function countByRollups(query, org, filter) {
  if (!rollupFor(filter, null)) return null;
  let events = 0;
  for (const sum of sums(query, org, filter, null, null).get(0)?.values() ?? []) events += sum.events;
  return events;
}
function sumByKey(query, org, filter, groupBy) {
  const byKey = sums(query, org, filter, null, groupBy).get(0) ?? /* @__PURE__ */ new Map();
  return [...byKey].filter(([, sum]) => sum.events > 0).map(([code, sum]) => ({ key: keyName(groupBy, code), amount: sum.amount }));
}
function surplusBuckets(query, org, resourceType, edges, maxId) {
  const count = Math.max(0, edges.length - 1);
  const out = Array.from({ length: count }, () => ({ drawn: 0, usersOverBase: 0 }));
  if (count === 0) return out;
  const params = new NamedParams();
  const orgParam = params.add(org);
  const type = params.add(resourceTypes.code(resourceType));
  const tiers = [
    [DAY6, "day", "rollup_day_user_total"],
    [HOUR4, "hour", "rollup_hour_user_total"]
  ].filter(([grain]) => aligned(edges, grain)).map(([grain, column, table]) => ({
    grain,
    sql: (a, b) => `SELECT ${column} AS t, user_id AS k, sum(drawn) AS v FROM ${table} WHERE org = ${orgParam} AND resource_type = ${type} AND drawn > 0${timeRange2(column, a, b, params)} GROUP BY 1, 2`
  }));
  const parts = sliceParts(
    {
      tiers,
      maxId,
      events: (a, b, ids, sign) => `SELECT ${eventTime(edges)} AS t, user_id AS k, ${sign}sum(surplus_amount) AS v FROM ${eventsSource(sign)} WHERE org = ${orgParam} AND resource_type = ${type} AND surplus_amount > 0 AND ${idRange(ids, sign, orgParam)}${timeRange2("created", a, b, params)} GROUP BY 1, 2`
    },
    params,
    edges[0],
    edges[edges.length - 1]
  );
  const perUser = /* @__PURE__ */ new Map();
  for (const [t, k, v] of jsonRows(query, "t, k, v", parts, params)) {
    const bucket = bucketOf(edges, t);
    if (bucket < 0) continue;
    let users = perUser.get(bucket);
    if (!users) perUser.set(bucket, users = /* @__PURE__ */ new Map());
    users.set(k, (users.get(k) ?? 0) + v);
  }
  for (const [bucket, users] of perUser) {
    let drawn = 0;
    let over = 0;
    for (const value of users.values()) {
      drawn += value;
      if (value > 0) over++;
    }
    out[bucket] = { drawn, usersOverBase: over };
  }
  return out;
}
function drawnByMinute(query, org, resourceType, from, to, maxId) {
  if (from >= to) return [];
  const params = new NamedParams();
  const orgParam = params.add(org);
  const type = params.add(resourceTypes.code(resourceType));
  const parts = sliceParts(
    {
      tiers: [
        {
          grain: MINUTE7,
          sql: (a, b) => `SELECT minute AS t, drawn AS v FROM rollup_minute WHERE org = ${orgParam} AND resource_type = ${type} AND drawn > 0` + timeRange2("minute", a, b, params)
        }
      ],
      maxId,
      events: (a, b, ids, sign) => `SELECT created - created % ${MINUTE7} AS t, ${sign}surplus_amount AS v FROM ${eventsSource(sign)} WHERE org = ${orgParam} AND resource_type = ${type} AND surplus_amount > 0 AND ${idRange(ids, sign, orgParam)}${timeRange2("created", a, b, params)}`
    },
    params,
    from,
    to
  );
  const first = Math.floor(from / MINUTE7) * MINUTE7;
  const drawnAt = new Float64Array(Math.ceil((to - first) / MINUTE7));
  for (const [t, v] of jsonRows(query, "t, v", parts, params)) drawnAt[(t - first) / MINUTE7] += v;
  const out = [];
  for (let i = 0; i < drawnAt.length; i++) if (drawnAt[i] > 0) out.push({ minute: first + i * MINUTE7, drawn: drawnAt[i] });
  return out;
}
function endpointCounts(query, org, since, maxId) {
  const params = new NamedParams();
  const orgParam = params.add(org);
  const parts = sliceParts(
    {
      tiers: [
        {
          grain: DAY6,
          sql: (a, b) => `SELECT endpoint AS k, events AS v FROM rollup_day_endpoint WHERE org = ${orgParam}${timeRange2("day", a, b, params)}`
        },
        {
          grain: HOUR4,
          sql: (a, b) => `SELECT endpoint AS k, events AS v FROM rollup_hour_endpoint WHERE org = ${orgParam}${timeRange2("hour", a, b, params)}`
        }
      ],
      maxId,
      events: (a, b, ids, sign) => `SELECT endpoint AS k, ${sign}1 AS v FROM ${eventsSource(sign)} WHERE org = ${orgParam} AND ${idRange(ids, sign, orgParam)}${timeRange2("created", a, b, params)}`
    },
    params,
    since,
    null
  );
  const rows = query(
    `SELECT k, sum(v) AS v FROM (${parts.join(" UNION ALL ")}) GROUP BY k HAVING sum(v) > 0`,
    params
  );
  return rows.map((row) => ({ endpoint: row.k, events: row.v }));
}

// server/store/embedded/checkpointer.ts
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
var BACKSTOP_PAGES = 4e4;
var WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const run = () => {
  try {
    const row = checkpoint.get();
    if (workerData.report) parentPort.postMessage(row);
  } catch (error) {
    // SQLITE_BUSY and the like: the next run tries again.
  }
};
const timer = setInterval(run, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
var Checkpointer = class {
  #worker;
  #exited;
  constructor(options) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: options.file, everyMs: options.everyMs ?? 200, report: Boolean(options.onRun) }
    });
    this.#exited = new Promise((resolve2) => this.#worker.once("exit", () => resolve2()));
    this.#worker.once("error", (error) => options.onFailure?.(error));
    if (options.onRun) this.#worker.on("message", options.onRun);
    this.#worker.unref();
  }
  /** Stops the worker after its current run and closes its connection. */
  async stop() {
    this.#worker.ref();
    this.#worker.postMessage("stop");
    await this.#exited;
  }
};

// server/store/embedded/ingest.ts
init_contract();
init_classification();
init_windows();
init_slices();
var MINUTE8 = 6e4;
var OTHERS = "\0others";
var KEEP = LIMITS.ingestPastMs;
function toOrganizationLimits(row) {
  return {
    effectiveFrom: row.effective_from,
    weeklyTokenLimit: row.weekly_token_limit,
    storageLimit: row.storage_limit,
    surplusCapacity: { tokens: row.capacity_tokens, storage: row.capacity_storage, ocr: row.capacity_ocr }
  };
}
function toUserLimits(row) {
  return {
    resourceType: resourceTypes.name(row.resource_type),
    effectiveFrom: row.effective_from,
    basePer4h: row.base_per_4h,
    surplusPer4h: row.surplus_per_4h
  };
}
var RollupSums = class {
  constructor() {
    this.entries = /* @__PURE__ */ new Map();
  }
  add(key, sums3) {
    const id = key.join("\0");
    const entry = this.entries.get(id);
    if (!entry) this.entries.set(id, { key, sums: [...sums3] });
    else for (let i = 0; i < sums3.length; i++) entry.sums[i] += sums3[i];
  }
};
var Statements = class {
  constructor(db) {
    this.orgRow = db.prepare("SELECT org, last_event_id FROM organizations WHERE org_id = ?");
    this.setLastId = db.prepare("UPDATE organizations SET last_event_id = ? WHERE org = ?");
    this.orgLimits = db.prepare("SELECT * FROM org_limits WHERE org = ? ORDER BY effective_from");
    this.userExists = db.prepare("SELECT 1 AS one FROM users WHERE org = ? AND user_id = ?");
    this.userLimits = db.prepare(
      "SELECT resource_type, effective_from, base_per_4h, surplus_per_4h FROM user_limits WHERE org = ? AND user_id = ? ORDER BY effective_from, resource_type"
    );
    this.forgetKeys = db.prepare("DELETE FROM idempotency_keys WHERE org = ? AND created_at <= ?");
    this.findKey = db.prepare(
      "SELECT request_hash, results FROM idempotency_keys WHERE org = ? AND key = ?"
    );
    this.rememberKey = db.prepare(
      "INSERT INTO idempotency_keys (org, key, request_hash, created_at, results) VALUES (?, ?, ?, ?, ?)"
    );
    this.insertEvent = db.prepare(
      `INSERT INTO events (id, org, created, user_id, amount, resource_type, pool_category, io_type, request_id, endpoint, surplus_amount)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    );
    const upsert = (table, keys, sums3) => db.prepare(
      `INSERT INTO ${table} (org, ${[...keys, ...sums3].join(", ")}) VALUES (?${", ?".repeat(keys.length + sums3.length)}) ON CONFLICT DO UPDATE SET ${sums3.map((column) => `${column} = ${column} + excluded.${column}`).join(", ")}`
    );
    this.minute = upsert("rollup_minute", ["resource_type", "minute"], ["amount", "drawn"]);
    this.minuteDetail = upsert("rollup_minute_detail", ["resource_type", "minute", "io_type", "pool_category"], ["amount", "events"]);
    this.hour = upsert("rollup_hour", ["resource_type", "hour", "io_type", "pool_category"], ["amount", "events"]);
    this.hourUser = upsert("rollup_hour_user", ["resource_type", "hour", "user_id", "io_type", "pool_category"], ["amount", "events", "drawn"]);
    this.hourEndpoint = upsert("rollup_hour_endpoint", ["resource_type", "hour", "endpoint", "io_type", "pool_category"], ["amount", "events"]);
    this.day = upsert("rollup_day", ["resource_type", "day", "io_type", "pool_category"], ["amount", "events"]);
    this.dayUser = upsert("rollup_day_user", ["resource_type", "day", "user_id", "io_type", "pool_category"], ["amount", "events", "drawn"]);
    this.dayEndpoint = upsert("rollup_day_endpoint", ["resource_type", "day", "endpoint", "io_type", "pool_category"], ["amount", "events"]);
    this.hourUserTotal = upsert("rollup_hour_user_total", ["resource_type", "hour", "user_id"], ["amount", "events", "drawn"]);
    this.dayUserTotal = upsert("rollup_day_user_total", ["resource_type", "user_id", "day"], ["amount", "events", "drawn"]);
    this.recentEvents = db.prepare(
      "SELECT user_id, resource_type, created, amount, surplus_amount FROM events WHERE org = ? AND created >= ?"
    );
    this.minutesBefore = db.prepare(
      "SELECT resource_type, minute, amount, drawn FROM rollup_minute WHERE org = ? AND minute >= ? AND minute < ?"
    );
  }
};
var Ingester = class {
  #db;
  #sql;
  #caches = /* @__PURE__ */ new Map();
  /** Assigns ids: the file's next rowid, read once per transaction. */
  #maxId;
  constructor(db) {
    this.#db = db;
    this.#sql = new Statements(db);
    this.#maxId = db.prepare("SELECT max(id) AS id FROM events");
  }
  /** Forgets the caches (the file was changed behind them). */
  reset() {
    this.#caches.clear();
  }
  /** Windows that classify events created at or after `first` correctly. */
  #windows(org, lastId, first) {
    const cached = this.#caches.get(org);
    if (cached && cached.lastId === lastId && first >= cached.validFrom) return cached;
    const windows = new UsageWindows();
    const eventsFrom = Math.floor((first - LIMITS.windowMs) / MINUTE8) * MINUTE8;
    const minutesFrom = (Math.floor(first / MINUTE8) - LIMITS.weekMs / MINUTE8 + 1) * MINUTE8;
    let newest = -Infinity;
    for (const row of this.#sql.minutesBefore.iterate(org, minutesFrom, eventsFrom)) {
      windows.add(OTHERS, resourceTypes.name(row.resource_type), row.minute, row.amount, row.drawn);
    }
    for (const row of this.#sql.recentEvents.iterate(org, eventsFrom)) {
      windows.add(row.user_id, resourceTypes.name(row.resource_type), row.created, row.amount, row.surplus_amount);
      newest = Math.max(newest, row.created);
    }
    const cache = { windows, lastId, validFrom: first, newest };
    this.#caches.set(org, cache);
    return cache;
  }
  /** Keeps a day of windows behind the newest event (what ingest can still reach). */
  #prune(cache) {
    const horizon = cache.newest - KEEP;
    if (horizon - cache.validFrom < HOUR4) return;
    cache.windows.prune(horizon);
    cache.validFrom = horizon;
  }
  ingest(orgId, entries, options) {
    let stored = 0;
    let cache = null;
    let org = 0;
    const run2 = this.#db.transaction(() => {
      const orgRow = this.#sql.orgRow.get(orgId);
      if (!orgRow) throw new Error(`No organization ${orgId}.`);
      org = orgRow.org;
      const idem = options.idempotency;
      if (idem) {
        this.#sql.forgetKeys.run(org, idem.now - LIMITS.idempotencyMs);
        const remembered = this.#sql.findKey.get(org, idem.key);
        if (remembered) {
          return remembered.request_hash === idem.requestHash ? { kind: "replayed", results: JSON.parse(remembered.results) } : { kind: "conflict" };
        }
      }
      const items = entries.filter((entry) => !("error" in entry));
      const results = [];
      if (items.length) {
        const first = Math.min(...items.map((item) => item.created));
        cache = this.#windows(org, orgRow.last_event_id, first);
        const organizationLimits = this.#sql.orgLimits.all(org).map(toOrganizationLimits);
        const userLimits = /* @__PURE__ */ new Map();
        const source = {
          windows: cache.windows,
          organizationLimits,
          userLimits: (userId) => {
            if (!userLimits.has(userId)) {
              userLimits.set(
                userId,
                this.#sql.userExists.get(org, userId) ? this.#sql.userLimits.all(org, userId).map(toUserLimits) : void 0
              );
            }
            return userLimits.get(userId);
          }
        };
        let nextId = (this.#maxId.get()?.id ?? 0) + 1;
        const writer = new BatchWriter(org);
        for (const entry of entries) {
          if ("error" in entry) {
            results.push(entry);
            continue;
          }
          const outcome2 = classifyItem(source, entry);
          if ("error" in outcome2) {
            results.push(outcome2);
            continue;
          }
          const event = {
            id: String(nextId),
            created: formatInstant(entry.created),
            userId: entry.userId,
            amount: entry.amount,
            resourceType: entry.resourceType,
            poolCategory: outcome2.poolCategory,
            ioType: entry.ioType,
            requestId: entry.requestId,
            endpoint: entry.endpoint,
            surplusAmount: outcome2.surplusAmount
          };
          writer.add(this.#sql, nextId, entry.created, event);
          cache.newest = Math.max(cache.newest, entry.created);
          results.push(event);
          nextId++;
          stored++;
        }
        if (stored) {
          writer.flush(this.#sql);
          this.#sql.setLastId.run(nextId - 1, org);
          cache.lastId = nextId - 1;
        }
      } else {
        results.push(...entries);
      }
      if (idem) this.#sql.rememberKey.run(org, idem.key, idem.requestHash, idem.now, JSON.stringify(results));
      return { kind: "stored", results };
    });
    let outcome;
    try {
      outcome = run2.immediate();
    } catch (error) {
      this.#caches.delete(org);
      throw error;
    }
    if (cache) this.#prune(cache);
    return { outcome, stored };
  }
};
var BatchWriter = class {
  constructor(org) {
    this.org = org;
  }
  #minute = new RollupSums();
  #minuteDetail = new RollupSums();
  #hour = new RollupSums();
  #hourUser = new RollupSums();
  #hourEndpoint = new RollupSums();
  #day = new RollupSums();
  #dayUser = new RollupSums();
  #dayEndpoint = new RollupSums();
  #hourUserTotal = new RollupSums();
  #dayUserTotal = new RollupSums();
  add(sql8, id, created, event) {
    const type = resourceTypes.code(event.resourceType);
    const pool = poolCategories.code(event.poolCategory);
    const io = ioTypes.code(event.ioType);
    sql8.insertEvent.run(id, this.org, created, event.userId, event.amount, type, pool, io, event.requestId, event.endpoint, event.surplusAmount);
    const hour = Math.floor(created / HOUR4) * HOUR4;
    const day2 = Math.floor(created / DAY6) * DAY6;
    const minute = Math.floor(created / MINUTE8) * MINUTE8;
    this.#minute.add([type, minute], [event.amount, event.surplusAmount]);
    this.#minuteDetail.add([type, minute, io, pool], [event.amount, 1]);
    this.#hour.add([type, hour, io, pool], [event.amount, 1]);
    this.#hourUser.add([type, hour, event.userId, io, pool], [event.amount, 1, event.surplusAmount]);
    this.#hourEndpoint.add([type, hour, event.endpoint, io, pool], [event.amount, 1]);
    this.#day.add([type, day2, io, pool], [event.amount, 1]);
    this.#dayUser.add([type, day2, event.userId, io, pool], [event.amount, 1, event.surplusAmount]);
    this.#dayEndpoint.add([type, day2, event.endpoint, io, pool], [event.amount, 1]);
    this.#hourUserTotal.add([type, hour, event.userId], [event.amount, 1, event.surplusAmount]);
    this.#dayUserTotal.add([type, event.userId, day2], [event.amount, 1, event.surplusAmount]);
  }
  flush(sql8) {
    const write = (statement, sums3) => {
      for (const { key, sums: values } of sums3.entries.values()) statement.run(this.org, ...key, ...values);
    };
    write(sql8.minute, this.#minute);
    write(sql8.minuteDetail, this.#minuteDetail);
    write(sql8.hour, this.#hour);
    write(sql8.hourUser, this.#hourUser);
    write(sql8.hourEndpoint, this.#hourEndpoint);
    write(sql8.day, this.#day);
    write(sql8.dayUser, this.#dayUser);
    write(sql8.dayEndpoint, this.#dayEndpoint);
    write(sql8.hourUserTotal, this.#hourUserTotal);
    write(sql8.dayUserTotal, this.#dayUserTotal);
  }
};

// server/store/embedded/schema.ts
var VERSION_1 = `
  CREATE TABLE organizations (
    org INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    last_event_id INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    scopes TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE org_limits (
    org INTEGER NOT NULL,
    effective_from INTEGER NOT NULL,
    weekly_token_limit INTEGER NOT NULL,
    storage_limit INTEGER NOT NULL,
    capacity_tokens INTEGER NOT NULL,
    capacity_storage INTEGER NOT NULL,
    capacity_ocr INTEGER NOT NULL,
    PRIMARY KEY (org, effective_from)
  ) WITHOUT ROWID;
  CREATE TABLE users (
    org INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT,
    email TEXT,
    search_id TEXT NOT NULL,
    search_name TEXT,
    search_email TEXT,
    PRIMARY KEY (org, user_id)
  ) WITHOUT ROWID;
  CREATE TABLE user_limits (
    org INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    resource_type INTEGER NOT NULL,
    effective_from INTEGER NOT NULL,
    base_per_4h INTEGER NOT NULL,
    surplus_per_4h INTEGER NOT NULL,
    PRIMARY KEY (org, user_id, resource_type, effective_from)
  ) WITHOUT ROWID;
  CREATE TABLE idempotency_keys (
    org INTEGER NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    results TEXT NOT NULL,
    PRIMARY KEY (org, key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_age ON idempotency_keys (org, created_at);

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    org INTEGER NOT NULL,
    created INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    io_type INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    surplus_amount INTEGER NOT NULL
  );
  CREATE INDEX events_created ON events (org, created);
  CREATE INDEX events_user ON events (org, user_id, created);
  CREATE INDEX events_amount ON events (org, amount, created);
  CREATE INDEX events_type_amount ON events (org, resource_type, amount, created);
  CREATE INDEX events_type ON events (org, resource_type, created);
  CREATE INDEX events_pool ON events (org, pool_category, created);
  CREATE INDEX events_io ON events (org, io_type, created);
  CREATE INDEX events_request ON events (org, request_id, created);
  CREATE INDEX events_endpoint ON events (org, endpoint, created);

  CREATE TABLE rollup_minute (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    drawn INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, minute)
  ) WITHOUT ROWID;
  CREATE INDEX rollup_minute_drawn ON rollup_minute (org, resource_type, minute, drawn) WHERE drawn > 0;
  CREATE TABLE rollup_hour (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, hour, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE TABLE rollup_hour_user (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    drawn INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, hour, user_id, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE INDEX rollup_hour_user_by_user ON rollup_hour_user (org, resource_type, user_id, hour);
  CREATE INDEX rollup_hour_user_drawn ON rollup_hour_user (org, resource_type, hour, user_id, drawn) WHERE drawn > 0;
  CREATE TABLE rollup_hour_endpoint (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, hour, endpoint, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE TABLE rollup_day (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    day INTEGER NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, day, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE TABLE rollup_day_user (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    day INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    drawn INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, day, user_id, io_type, pool_category)
  ) WITHOUT ROWID;
  CREATE INDEX rollup_day_user_by_user ON rollup_day_user (org, resource_type, user_id, day, amount, events);
  CREATE INDEX rollup_day_user_drawn ON rollup_day_user (org, resource_type, day, user_id, drawn) WHERE drawn > 0;
  CREATE TABLE rollup_day_endpoint (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    day INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, day, endpoint, io_type, pool_category)
  ) WITHOUT ROWID;
  `;
function statements(sql8) {
  const out = /* @__PURE__ */ new Map();
  for (const [statement, name] of sql8.matchAll(/CREATE (?:TABLE|INDEX) (\w+)[^;]*/g)) out.set(name, collapse(statement));
  return out;
}
function collapse(sql8) {
  return sql8.replace(/\s+/g, " ").trim();
}
var DAILY = [
  ["rollup_day", "rollup_hour", "io_type, pool_category", "amount, events"],
  ["rollup_day_user", "rollup_hour_user", "user_id, io_type, pool_category", "amount, events, drawn"],
  ["rollup_day_endpoint", "rollup_hour_endpoint", "endpoint, io_type, pool_category", "amount, events"]
];
var DAY_MS = 864e5;
function repairDailyRollups(db) {
  const wanted = statements(VERSION_1);
  const stored = new Map(
    db.prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL").all().map(
      (row) => [row.name, collapse(row.sql)]
    )
  );
  for (const [day2, hour, keys, sums3] of DAILY) {
    if (stored.get(day2) === wanted.get(day2)) continue;
    db.exec(`DROP TABLE IF EXISTS ${day2}`);
    db.exec(wanted.get(day2));
    stored.delete(day2);
    db.exec(
      `INSERT INTO ${day2} (org, resource_type, day, ${keys}, ${sums3}) SELECT org, resource_type, hour - hour % ${DAY_MS}, ${keys}, ${sums3.replace(/\w+/g, (column) => `sum(${column})`)} FROM ${hour} GROUP BY org, resource_type, hour - hour % ${DAY_MS}, ${keys}`
    );
  }
  for (const [name, sql8] of wanted) {
    if (!sql8.startsWith("CREATE INDEX") || stored.get(name) === sql8) continue;
    db.exec(`DROP INDEX IF EXISTS ${name}`);
    db.exec(sql8);
  }
}
function userTotals(table, time, key, source) {
  return `
  CREATE TABLE ${table} (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    ${time} INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    drawn INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, ${key})
  ) WITHOUT ROWID;
  CREATE INDEX ${table}_drawn ON ${table} (org, resource_type, ${time}, user_id, drawn) WHERE drawn > 0;
  INSERT INTO ${table} (org, resource_type, ${time}, user_id, amount, events, drawn)
    SELECT org, resource_type, ${time}, user_id, sum(amount), sum(events), sum(drawn) FROM ${source} GROUP BY org, resource_type, ${key};`;
}
var VERSION_3 = `
  ${userTotals("rollup_hour_user_total", "hour", "hour, user_id", "rollup_hour_user")}
  ${userTotals("rollup_day_user_total", "day", "user_id, day", "rollup_day_user")}
  CREATE INDEX events_user_drawing ON events (org, user_id, created) WHERE pool_category <> 0;
`;
var VERSION_4 = "CREATE INDEX events_type_time_amount ON events (org, resource_type, created, amount);";
var VERSION_5 = "CREATE INDEX events_endpoint_drawing ON events (org, endpoint, created) WHERE pool_category <> 0;";
var VERSION_6 = "CREATE INDEX rollup_hour_user_total_by_user ON rollup_hour_user_total (org, resource_type, user_id, hour, amount, events);";
var VERSION_7 = `
  CREATE TABLE rollup_minute_detail (
    org INTEGER NOT NULL,
    resource_type INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    io_type INTEGER NOT NULL,
    pool_category INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (org, resource_type, minute, io_type, pool_category)
  ) WITHOUT ROWID;
  INSERT INTO rollup_minute_detail (org, resource_type, minute, io_type, pool_category, amount, events)
    SELECT org, resource_type, created - created % 60000, io_type, pool_category, sum(amount), count(*)
    FROM events GROUP BY 1, 2, 3, 4, 5;
`;
var MIGRATIONS = [
  (db) => db.exec(VERSION_1),
  repairDailyRollups,
  (db) => db.exec(VERSION_3),
  (db) => db.exec(VERSION_4),
  (db) => db.exec(VERSION_5),
  (db) => db.exec(VERSION_6),
  (db) => db.exec(VERSION_7)
];
var SCHEMA_VERSION = MIGRATIONS.length;
function migrate(db, file = db.name) {
  const current = db.pragma("user_version", { simple: true });
  if (current > SCHEMA_VERSION) {
    throw new Error(`The database file has schema version ${current}; this server knows up to ${SCHEMA_VERSION}. Upgrade the server.`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    try {
      db.transaction(() => {
        MIGRATIONS[version](db);
        db.pragma(`user_version = ${version + 1}`);
      }).immediate();
    } catch (error) {
      throw new Error(
        `The database file ${file} (schema version ${version}) could not be upgraded to version ${version + 1}: ${error.message}. This step changed nothing. Move the file away (or point DATA_DIR at another folder) to start with an empty one, which \`npm start\` seeds.`,
        { cause: error }
      );
    }
  }
}

// server/store/shared/rows.ts
function toUser(row) {
  const user = { id: row.user_id };
  if (row.name !== null) user.name = row.name;
  if (row.email !== null) user.email = row.email;
  return user;
}

// server/store/embedded/embedded-store.ts
var ITERATE_BATCH = 1e3;
var EARLY_PAGE_ROWS = 1e3;
var EARLY_SCAN = 5e3;
var ALL_TYPES = RESOURCE_TYPES.map(resourceTypes.code);
var DAY7 = 864e5;
var DRAWING = "pool_category <> 0";
function drawingOnly(filter) {
  return Boolean(filter.poolCategories?.length) && !filter.poolCategories.includes("allocated");
}
var ENUM_CODES = {
  resourceType: ALL_TYPES,
  poolCategory: POOL_CATEGORIES.map(poolCategories.code),
  ioType: IO_TYPES.map(ioTypes.code)
};
var SORT_INDEX = {
  created: "events_created",
  userId: "events_user",
  amount: "events_amount",
  resourceType: "events_type",
  poolCategory: "events_pool",
  ioType: "events_io",
  requestId: "events_request",
  endpoint: "events_endpoint"
};
var FEW_MATCHES = 1e3;
var STATEMENT_CACHE = 500;
var WRITER_CHECKPOINT_PAGES = 1e4;
var EmbeddedStore = class {
  #ingester;
  #statements = /* @__PURE__ */ new Map();
  #orgCodes = /* @__PURE__ */ new Map();
  #listeners = /* @__PURE__ */ new Map();
  #analyzeAfter;
  /** Events in the file at the last ANALYZE (from its statistics), and stored since. */
  #analyzedEvents = 0;
  #storedSinceAnalyze = 0;
  #checkpointer = null;
  constructor(options) {
    this.db = new Database(options.file);
    try {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma(`cache_size = -${(options.cacheMb ?? 128) * 1024}`);
      this.db.pragma(`mmap_size = ${(options.mmapMb ?? 0) * 1024 * 1024}`);
      this.db.pragma("temp_store = MEMORY");
      this.db.pragma("busy_timeout = 5000");
      this.db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
      migrate(this.db);
      this.db.pragma("optimize = 0x10002");
      this.#ingester = new Ingester(this.db);
      this.#analyzeAfter = options.analyzeAfter ?? 5e4;
      this.#analyzedEvents = this.#analyzedRows();
      if (options.checkpointInWorker ?? this.db.name !== ":memory:") this.#startCheckpointer(options);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }
  /** Checkpoints from a worker thread; the writer's own automatic checkpoint becomes a backstop. */
  #startCheckpointer(options) {
    this.#checkpointer = new Checkpointer({
      file: this.db.name,
      ...options.checkpointEveryMs === void 0 ? {} : { everyMs: options.checkpointEveryMs },
      ...options.onCheckpoint ? { onRun: options.onCheckpoint } : {},
      onFailure: () => {
        this.#checkpointer = null;
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
      }
    });
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  }
  #statement(sql8) {
    let statement = this.#statements.get(sql8);
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE) this.#statements.delete(this.#statements.keys().next().value);
      statement = this.db.prepare(sql8);
      this.#statements.set(sql8, statement);
    }
    return statement;
  }
  #query = (sql8, params) => {
    const statement = this.#statement(sql8);
    return params.values.length ? statement.all(params.bind()) : statement.all();
  };
  /** The organization's row number in the file, or null. */
  #org(orgId) {
    const known = this.#orgCodes.get(orgId);
    if (known !== void 0) return known;
    const row = this.#statement("SELECT org FROM organizations WHERE org_id = ?").get(orgId);
    if (!row) return null;
    this.#orgCodes.set(orgId, row.org);
    return row.org;
  }
  #requireOrg(orgId) {
    const org = this.#org(orgId);
    if (org === null) throw new Error(`No organization ${orgId}.`);
    return org;
  }
  async findToken(tokenHash) {
    const row = this.#statement("SELECT org_id, scopes FROM tokens WHERE token_hash = ?").get(tokenHash);
    return row ? { orgId: row.org_id, scopes: JSON.parse(row.scopes) } : null;
  }
  async putOrganization(org) {
    this.#statement("INSERT INTO organizations (org_id, name) VALUES (?, ?) ON CONFLICT (org_id) DO UPDATE SET name = excluded.name").run(
      org.id,
      org.name
    );
  }
  async getOrganization(orgId) {
    const row = this.#statement("SELECT name FROM organizations WHERE org_id = ?").get(orgId);
    return row ? { id: orgId, name: row.name } : null;
  }
  async putToken(tokenHash, grant) {
    this.#statement(
      "INSERT INTO tokens (token_hash, org_id, scopes) VALUES (?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET org_id = excluded.org_id, scopes = excluded.scopes"
    ).run(tokenHash, grant.orgId, JSON.stringify([...grant.scopes]));
  }
  async setOrganizationLimits(orgId, limits) {
    const org = this.#requireOrg(orgId);
    this.#statement(
      `INSERT INTO org_limits (org, effective_from, weekly_token_limit, storage_limit, capacity_tokens, capacity_storage, capacity_ocr)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET weekly_token_limit = excluded.weekly_token_limit, storage_limit = excluded.storage_limit,
         capacity_tokens = excluded.capacity_tokens, capacity_storage = excluded.capacity_storage, capacity_ocr = excluded.capacity_ocr`
    ).run(
      org,
      limits.effectiveFrom,
      limits.weeklyTokenLimit,
      limits.storageLimit,
      limits.surplusCapacity.tokens,
      limits.surplusCapacity.storage,
      limits.surplusCapacity.ocr
    );
  }
  async putUsers(orgId, users) {
    const org = this.#requireOrg(orgId);
    const upsert = this.#statement(
      `INSERT INTO users (org, user_id, name, email, search_id, search_name, search_email) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET name = excluded.name, email = excluded.email, search_name = excluded.search_name, search_email = excluded.search_email`
    );
    this.db.transaction(() => {
      for (const u of users) {
        upsert.run(org, u.id, u.name ?? null, u.email ?? null, u.id.toLowerCase(), u.name?.toLowerCase() ?? null, u.email?.toLowerCase() ?? null);
      }
    })();
  }
  async setUserLimits(orgId, userId, limits) {
    const org = this.#requireOrg(orgId);
    if (!await this.getUser(orgId, userId)) throw new Error(`No user ${userId} in ${orgId}.`);
    const upsert = this.#statement(
      `INSERT INTO user_limits (org, user_id, resource_type, effective_from, base_per_4h, surplus_per_4h) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET base_per_4h = excluded.base_per_4h, surplus_per_4h = excluded.surplus_per_4h`
    );
    this.db.transaction(() => {
      for (const l of limits) upsert.run(org, userId, resourceTypes.code(l.resourceType), l.effectiveFrom, l.basePer4h, l.surplusPer4h);
    })();
  }
  async organizationLimits(orgId) {
    const org = this.#org(orgId);
    if (org === null) return [];
    return this.#statement("SELECT * FROM org_limits WHERE org = ? ORDER BY effective_from").all(org).map(
      toOrganizationLimits
    );
  }
  async userLimits(orgId, userId) {
    const org = this.#org(orgId);
    if (org === null) return [];
    const rows = this.#statement(
      "SELECT resource_type, effective_from, base_per_4h, surplus_per_4h FROM user_limits WHERE org = ? AND user_id = ? ORDER BY effective_from, resource_type"
    ).all(org, userId);
    return rows.map(toUserLimits);
  }
  async getUser(orgId, userId) {
    const org = this.#org(orgId);
    if (org === null) return null;
    const row = this.#statement("SELECT user_id, name, email FROM users WHERE org = ? AND user_id = ?").get(org, userId);
    return row ? toUser(row) : null;
  }
  async listUsers(orgId, query) {
    const org = this.#org(orgId);
    if (org === null) return { items: [], total: 0 };
    const params = new NamedParams();
    const conditions2 = [`org = ${params.add(org)}`];
    if (query.ids?.length) conditions2.push(`user_id IN (${query.ids.map((id) => params.add(id)).join(", ")})`);
    if (query.q) {
      const needle = params.add(query.q.toLowerCase());
      conditions2.push(`(instr(search_id, ${needle}) > 0 OR instr(search_name, ${needle}) > 0 OR instr(search_email, ${needle}) > 0)`);
    }
    const where = conditions2.join(" AND ");
    const [count] = this.#query(`SELECT count(*) AS n FROM users WHERE ${where}`, params);
    const items = this.#query(
      `SELECT user_id, name, email FROM users WHERE ${where} ORDER BY user_id LIMIT ${params.add(query.limit)} OFFSET ${params.add(query.offset)}`,
      params
    );
    return { items: items.map(toUser), total: count.n };
  }
  async listEndpoints(orgId, query) {
    const org = this.#org(orgId);
    if (org === null) return [];
    const needle = query.q?.toLowerCase() ?? "";
    return endpointCounts(this.#query, org, query.since, query.maxId).filter((use) => !needle || use.endpoint.toLowerCase().includes(needle)).sort((a, b) => b.events - a.events || compareCodePoints(a.endpoint, b.endpoint)).slice(0, query.limit);
  }
  async lastEventId(orgId) {
    const row = this.#statement("SELECT last_event_id FROM organizations WHERE org_id = ?").get(orgId);
    return row?.last_event_id ?? 0;
  }
  #where(org, filter, params) {
    const where = conditions(org, filter, params, { time: "created", maxId: true, columns: EVENT_FILTER_COLUMNS2 });
    return drawingOnly(filter) ? `${where} AND ${DRAWING}` : where;
  }
  async queryEvents(orgId, filter, page) {
    const org = this.#org(orgId);
    if (org === null) return [];
    const few = this.#fewMatchesPage(org, filter, page);
    if (few) return few.map(toEvent2);
    const endpointsFirst = page.sort === "endpoint" && !filter.endpoints?.length;
    if (endpointsFirst) filter = this.#narrowed(org, filter, page) ?? filter;
    let early = this.#earlyPage(org, filter, page);
    if (early) return early.map(toEvent2);
    const narrowed = endpointsFirst ? null : this.#narrowed(org, filter, page);
    if (narrowed) {
      filter = narrowed;
      early = this.#earlyPage(org, filter, page);
      if (early) return early.map(toEvent2);
    }
    const params = new NamedParams();
    const rows = this.#query(
      `SELECT ${EVENT_COLUMNS2} FROM events WHERE ${this.#where(org, filter, params)} ${orderBy(page)} LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}`,
      params
    );
    return rows.map(toEvent2);
  }
  /**
   * The page of a filter naming endpoints or users, sorted by another column, when it
   * matches fewer than `FEW_MATCHES` events: all of them read through the filter's own
   * index (a MATERIALIZED set, so the planner chooses for the filter alone), then sorted.
   * Else null. An early page would read 5,000 events along the sort's index, each a row
   * looked up, to find a handful (an OCR endpoint's hybrid output sorted by user), and the
   * planner, given the ORDER BY, may walk the sort's index over the whole range.
   */
  #fewMatchesPage(org, filter, page) {
    const named = filter.endpoints?.length && page.sort !== "endpoint" || filter.userIds?.length && page.sort !== "userId";
    if (!named || filter.requestId !== void 0) return null;
    const counted = new NamedParams();
    const [count] = this.#query(
      `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE ${this.#where(org, filter, counted)} LIMIT ${counted.add(FEW_MATCHES)})`,
      counted
    );
    if (count.n >= FEW_MATCHES) return null;
    const params = new NamedParams();
    return this.#query(
      `WITH matches AS MATERIALIZED (SELECT ${EVENT_COLUMNS2} FROM events WHERE ${this.#where(org, filter, params)}) SELECT * FROM matches ${orderBy(page)} LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}`,
      params
    );
  }
  /**
   * The same filter, narrowed by what the daily endpoint rollup (it holds every event)
   * says of the range, or null. An endpoint serves one type: with endpoints and no type,
   * their one type is added (sorted by amount or type, an endpoint's events come after,
   * or before, every other type's, which an early page along the sort index alone never
   * reaches); sorted by endpoint with a type, I/O types or pools and no endpoints, the
   * endpoints holding such events on the range's days are (the early page then reads only
   * those along the endpoint index, not the events of an endpoint holding none: an
   * input-only endpoint first in an output filter sorted by endpoint desc).
   */
  #narrowed(org, filter, page) {
    const byEndpoints = filter.endpoints?.length && filter.resourceType === void 0;
    const byType = page.sort === "endpoint" && !filter.endpoints?.length && (filter.resourceType !== void 0 || Boolean(filter.ioTypes?.length) || Boolean(filter.poolCategories?.length));
    if (!byEndpoints && !byType) return null;
    const params = new NamedParams();
    const types2 = filter.resourceType ? [resourceTypes.code(filter.resourceType)] : ALL_TYPES;
    const from = filter.from === void 0 ? null : Math.floor(filter.from / DAY7) * DAY7;
    let sql8 = `SELECT DISTINCT resource_type AS t, endpoint AS e FROM rollup_day_endpoint WHERE org = ${params.add(org)} AND resource_type IN (${types2.map((code) => params.add(code)).join(", ")})${timeRange2("day", from, filter.to ?? null, params)}`;
    if (filter.endpoints?.length) sql8 += ` AND endpoint IN (${filter.endpoints.map((endpoint) => params.add(endpoint)).join(", ")})`;
    if (filter.ioTypes?.length) sql8 += ` AND io_type IN (${filter.ioTypes.map((io) => params.add(ioTypes.code(io))).join(", ")})`;
    if (filter.poolCategories?.length) sql8 += ` AND pool_category IN (${filter.poolCategories.map((pool) => params.add(poolCategories.code(pool))).join(", ")})`;
    const rows = this.#query(sql8, params);
    if (byType) return rows.length ? { ...filter, endpoints: [...new Set(rows.map((row) => row.e))] } : null;
    const found = new Set(rows.map((row) => row.t));
    return found.size === 1 ? { ...filter, resourceType: resourceTypes.name([...found][0]) } : null;
  }
  /**
   * An early page read along the sort's own index: the first `EARLY_SCAN` events of the
   * range in the sort's order (index only), then the rest of the filter on those rows.
   * The matches among them are the first matches overall, so when there are enough, or
   * the range held no more, the page is exact; else null, and SQLite's planner decides
   * (it picks a filter's index and sorts, which is slow for a common value sorted by
   * another column: an endpoint by amount, a type's amount range by user).
   */
  #earlyPage(org, filter, page) {
    if (page.offset + page.limit > EARLY_PAGE_ROWS || filter.requestId !== void 0) return null;
    const params = new NamedParams();
    const typed = page.sort === "amount" && filter.resourceType !== void 0;
    const scanFilter = { maxId: filter.maxId, from: filter.from, to: filter.to };
    if (typed) scanFilter.resourceType = filter.resourceType;
    if (page.sort === "amount") Object.assign(scanFilter, { amountMin: filter.amountMin, amountMax: filter.amountMax });
    if (page.sort === "endpoint" && filter.endpoints?.length) scanFilter.endpoints = filter.endpoints;
    if (page.sort === "userId" && filter.userIds?.length) scanFilter.userIds = filter.userIds;
    const drawing = page.sort === "userId" && drawingOnly(filter);
    const index = typed ? "events_type_amount" : drawing ? "events_user_drawing" : SORT_INDEX[page.sort];
    const codes2 = page.sort === "resourceType" && filter.resourceType ? [resourceTypes.code(filter.resourceType)] : ENUM_CODES[page.sort];
    const named = Boolean(scanFilter.endpoints ?? scanFilter.userIds);
    const time = page.sort === "created" || codes2 || named ? "created" : "+created";
    let where = conditions(org, scanFilter, params, { time, maxId: true, columns: EVENT_FILTER_COLUMNS2 });
    if (codes2) where += ` AND ${SORT_COLUMN[page.sort]} IN (${codes2.map((code) => params.add(code)).join(", ")})`;
    if (drawing) where += ` AND ${DRAWING}`;
    const scan = `SELECT id AS early_id FROM events INDEXED BY ${index} WHERE ${where} ${orderBy(page)} LIMIT ${params.add(EARLY_SCAN)}`;
    const scanParams = params.values.length;
    const rows = this.#query(
      `SELECT ${EVENT_COLUMNS2} FROM (${scan}) CROSS JOIN events ON id = early_id WHERE ${this.#where(org, filter, params)} ${orderBy(page)} LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}`,
      params
    );
    if (rows.length === page.limit) return rows;
    const scanOnly = new NamedParams();
    scanOnly.values.push(...params.values.slice(0, scanParams));
    const [scanned] = this.#query(`SELECT count(*) AS n FROM (${scan})`, scanOnly);
    return scanned.n < EARLY_SCAN ? rows : null;
  }
  async countEvents(orgId, filter, cap) {
    const org = this.#org(orgId);
    if (org === null) return 0;
    const counted = countByRollups(this.#query, org, filter);
    if (counted !== null) return Math.min(counted, cap);
    const params = new NamedParams();
    const [row] = this.#query(
      `SELECT count(*) AS n FROM (SELECT 1 FROM events${amountRangeIndex(filter, "count")} WHERE ${this.#where(org, filter, params)} LIMIT ${params.add(cap)})`,
      params
    );
    return row.n;
  }
  /**
   * The ids in order first (one sort, 8 bytes an event: the CSV stops at 1,000,000), then
   * the events in batches by id, each a short read of its own, so other requests run
   * between batches. (Paging by keyset would make SQLite sort a range again per batch.)
   */
  async *iterateEvents(orgId, filter, order) {
    const org = this.#org(orgId);
    if (org === null) return;
    const params = new NamedParams();
    const ids = this.#statement(`SELECT id FROM events WHERE ${this.#where(org, filter, params)} ${orderBy(order)}`).pluck().all(params.bind());
    const batch = this.#statement(
      `SELECT ${EVENT_COLUMNS2} FROM (SELECT key AS position, value AS wanted FROM json_each(?)) CROSS JOIN events ON id = wanted ORDER BY position`
    );
    for (let i = 0; i < ids.length; i += ITERATE_BATCH) {
      const rows = batch.all(JSON.stringify(ids.slice(i, i + ITERATE_BATCH)));
      yield rows.map(toEvent2);
    }
  }
  async sumByKey(orgId, filter, groupBy) {
    const org = this.#org(orgId);
    return org === null ? [] : sumByKey(this.#query, org, filter, groupBy);
  }
  async sumByBucket(orgId, filter, edges, groupBy, keys) {
    const org = this.#org(orgId);
    return org === null ? [] : sumByBucket(this.#query, org, filter, edges, groupBy, keys);
  }
  async drawnByMinute(orgId, resourceType, from, to, maxId) {
    const org = this.#org(orgId);
    return org === null ? [] : drawnByMinute(this.#query, org, resourceType, from, to, maxId);
  }
  async surplusBuckets(orgId, resourceType, edges, maxId) {
    const org = this.#org(orgId);
    if (org === null) return Array.from({ length: Math.max(0, edges.length - 1) }, () => ({ drawn: 0, usersOverBase: 0 }));
    return surplusBuckets(this.#query, org, resourceType, edges, maxId);
  }
  async eventsAfter(orgId, afterId, limit) {
    const org = this.#org(orgId);
    if (org === null) return [];
    const rows = this.#statement(`SELECT ${EVENT_COLUMNS2} FROM events NOT INDEXED WHERE id > ? AND org = ? ORDER BY id LIMIT ?`).all(
      afterId,
      org,
      limit
    );
    return rows.map(toEvent2);
  }
  async countEventsAfter(orgId, afterId, cap) {
    const org = this.#org(orgId);
    if (org === null) return 0;
    const row = this.#statement("SELECT count(*) AS n FROM (SELECT 1 FROM events NOT INDEXED WHERE id > ? AND org = ? LIMIT ?)").get(
      afterId,
      org,
      cap
    );
    return row.n;
  }
  watch(orgId, listener) {
    let listeners = this.#listeners.get(orgId);
    if (!listeners) this.#listeners.set(orgId, listeners = /* @__PURE__ */ new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
  async ingest(orgId, entries, options = {}) {
    const { outcome, stored } = this.#ingester.ingest(orgId, entries, options);
    if (stored > 0) {
      this.#storedSinceAnalyze += stored;
      if (this.#storedSinceAnalyze >= Math.max(this.#analyzeAfter, this.#analyzedEvents)) this.#analyze();
      for (const listener of [...this.#listeners.get(orgId) ?? []]) listener();
    }
    return outcome;
  }
  /** Fresh statistics for the planner, and statements prepared against them. */
  #analyze() {
    this.db.pragma("analysis_limit = 0");
    this.db.exec("ANALYZE");
    this.#statements.clear();
    this.#analyzedEvents = this.#analyzedRows();
    this.#storedSinceAnalyze = 0;
  }
  /** The events the statistics counted (0 before any ANALYZE). */
  #analyzedRows() {
    const analyzed = this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get();
    if (!analyzed) return 0;
    const stat = this.db.prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'events' AND idx = 'events_created'").pluck().get();
    return stat ? Number.parseInt(stat, 10) : 0;
  }
  async close() {
    this.#listeners.clear();
    await this.#checkpointer?.stop();
    this.#checkpointer = null;
    if (!this.db.open) return;
    this.db.pragma("optimize");
    this.db.close();
  }
};

// server/store/embedded/index.ts
async function openEmbeddedStore(options) {
  return new EmbeddedStore(options);
}

// bench/server.bench.mjs
init_contract();
var args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, "").split("=");
    return [key, value ?? "true"];
  })
);
var EVENTS = Number(args.events ?? 1e7);
var STORE = args.store ?? "embedded";
var RUNS = Number(args.runs ?? 10);
var BATCHES = Number(args.batches ?? 100);
var INGEST_CONCURRENCY = Number(args["ingest-concurrency"] ?? 1);
var ONLY_INGEST = args.only === "ingest";
var SEED_ONLY = args["seed-only"] === "true";
var SEED_CACHE_MB = Number(args["seed-cache-mb"] ?? 6144);
var DAY8 = 864e5;
var SORTS = ["created", "userId", "amount", "resourceType", "poolCategory", "ioType", "requestId", "endpoint"];
var TOKENS2 = { demoRead: DEMO_TOKEN, demoIngest: DEMO_INGEST_TOKEN, otherRead: OTHER_ORG_TOKEN, otherIngest: OTHER_ORG_INGEST_TOKEN };
var log = (line) => process.stderr.write(`${line}
`);
async function openEmbeddedBenchStore() {
  mkdirSync2("data/bench", { recursive: true });
  const file = `data/bench/embedded-${EVENTS}.sqlite`;
  let store2 = await openEmbeddedStore({ file });
  let seedSeconds = null;
  if (await store2.lastEventId(DEMO_ORG.orgId) === 0) {
    await store2.close();
    store2 = await openEmbeddedStore({ file, cacheMb: SEED_CACHE_MB, analyzeAfter: Infinity });
    const started = performance3.now();
    let reported = 0;
    await seedDemo(store2, {
      events: EVENTS,
      now: Date.now(),
      tokens: TOKENS2,
      onProgress: (written) => {
        if (written - reported < 25e4) return;
        reported = written;
        const seconds = (performance3.now() - started) / 1e3;
        log(`seeded ${written.toLocaleString("en-US")} events in ${seconds.toFixed(0)} s (${Math.round(written / seconds).toLocaleString("en-US")}/s)`);
      }
    });
    seedSeconds = (performance3.now() - started) / 1e3;
    store2.db.exec("ANALYZE");
    store2.db.pragma("wal_checkpoint(TRUNCATE)");
    log(`seeded in ${seedSeconds.toFixed(0)} s, ANALYZE and checkpoint after ${((performance3.now() - started) / 1e3 - seedSeconds).toFixed(0)} s more`);
    await store2.close();
    store2 = await openEmbeddedStore({ file });
  }
  if (SEED_ONLY) {
    await store2.close();
    process.exit(0);
  }
  return {
    store: store2,
    seedSeconds,
    size: () => ["", "-wal"].reduce((total, suffix) => total + (statSync(`${file}${suffix}`, { throwIfNoEntry: false })?.size ?? 0), 0),
    close: () => store2.close()
  };
}
async function openPostgres() {
  const { openPostgresBenchStore: openPostgresBenchStore2, databaseCpuReader: databaseCpuReader2 } = await init_postgres().then(() => postgres_exports);
  const opened2 = await openPostgresBenchStore2({ events: EVENTS, log });
  const size = (await opened2.store.pool.query("select pg_database_size(current_database()) as n")).rows[0].n;
  return { ...opened2, size: () => size, databaseCpu: await databaseCpuReader2(opened2.store.pool) };
}
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
}
async function call(handler, path, init = {}, token = DEMO_TOKEN) {
  const response = await handler(new Request(`http://bench/api/${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } }));
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}
async function measure(handler, paths, runs) {
  const wall = [];
  const cpu = [];
  const worst = [];
  let databaseMs = 0;
  for (const path of paths) {
    await call(handler, path);
    const databaseStart = databaseCpu?.();
    let most = 0;
    for (let i = 0; i < runs; i++) {
      const cpuStart = process.cpuUsage();
      const started = performance3.now();
      await call(handler, path);
      wall.push(performance3.now() - started);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1e3);
      most = Math.max(most, cpu[cpu.length - 1]);
    }
    const database = databaseCpu ? (databaseCpu() - databaseStart) / runs : 0;
    databaseMs += database * runs;
    worst.push([most + database, path]);
  }
  if (args.verbose) {
    const what = databaseCpu ? "ms CPU with the database" : "ms CPU";
    for (const [ms, path] of worst.sort((a, b) => b[0] - a[0]).slice(0, 5)) log(`    ${ms.toFixed(1)} ${what}  ${decodeURIComponent(path).replace(/&?from=[^&]*&to=[^&]*/, "")}`);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    p50: percentile(wall, 50),
    p95: percentile(wall, 95),
    max: wall[wall.length - 1],
    cpu50: percentile(cpu, 50),
    cpu95: percentile(cpu, 95),
    database: databaseCpu ? databaseMs / wall.length : null,
    n: wall.length
  };
}
var opened = STORE === "postgres" ? await openPostgres() : await openEmbeddedBenchStore();
var { store } = opened;
var databaseCpu = opened.databaseCpu ?? void 0;
try {
  const orgId = DEMO_ORG.orgId;
  const lastId = await store.lastEventId(orgId);
  const [newest] = await store.eventsAfter(orgId, lastId - 1, 1);
  const now = Date.parse(newest.created) + 6e4;
  const handler = createHandler({ store, now: () => now, basePath: "/api" });
  const iso = (ms) => new Date(ms).toISOString();
  const last = (days) => `from=${iso(now - days * DAY8)}&to=${iso(now)}`;
  const enc = encodeURIComponent;
  const users = (await store.listUsers(orgId, { limit: 200, offset: 0 })).items.map((u) => u.id);
  const heavy = (await store.sumByKey(orgId, { maxId: lastId, from: now - 7 * DAY8, to: now, resourceType: "tokens" }, "userId")).sort((a, b) => b.amount - a.amount).map((s) => s.key);
  const endpoints = (await store.listEndpoints(orgId, { since: now - 90 * DAY8, limit: 50, maxId: lastId })).map((e) => e.endpoint);
  const [sample] = await store.queryEvents(orgId, { maxId: lastId, from: now - 3 * DAY8, to: now }, { sort: "created", order: "desc", offset: 500, limit: 1 });
  const filters = [
    "",
    `userId=${enc(heavy[0])}`,
    `userId=${enc(users[7])}`,
    heavy.slice(0, 5).map((u) => `userId=${enc(u)}`).join("&"),
    "resourceType=tokens&amountMin=1000&amountMax=5000",
    "resourceType=storage",
    "resourceType=ocr&amountMin=5",
    "poolCategory=surplus&poolCategory=hybrid",
    "poolCategory=hybrid",
    "ioType=output",
    `endpoint=${enc(endpoints[0])}`,
    `endpoint=${enc(endpoints[endpoints.length - 1])}`,
    `requestId=${enc(sample.requestId)}`,
    `resourceType=tokens&poolCategory=surplus&userId=${enc(heavy[1])}`,
    `poolCategory=hybrid&ioType=output&endpoint=${enc(endpoints[endpoints.length - 1])}`
  ];
  const rows = [];
  const row = async (name, target, paths, runs) => {
    if (ONLY_INGEST) return;
    const result = await measure(handler, paths, runs);
    rows.push({ name, target, ...result });
    const database = result.database === null ? "" : `, database CPU mean ${result.database.toFixed(1)} ms`;
    log(`${name}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, CPU p95 ${result.cpu95.toFixed(1)} ms${database} (${result.n})`);
  };
  const page1 = filters.flatMap((filter) => SORTS.flatMap((sort) => ["asc", "desc"].map((order) => `events?${filter}&sort=${sort}&order=${order}`)));
  const fewRuns = Math.max(1, Math.floor(RUNS / 5));
  await row("events page 1, 7 days, 15 filters \xD7 every sort", "\u2264 50", page1.map((p) => `${p}&${last(7)}`), fewRuns);
  await row("events page 1, 90 days, 15 filters \xD7 every sort", "\u2264 50", page1.map((p) => `${p}&${last(90)}`), fewRuns);
  await row(
    "events page 10,000, 90 days, every sort",
    "\u2264 100",
    SORTS.flatMap((sort) => ["asc", "desc"].map((order) => `events?${last(90)}&sort=${sort}&order=${order}&page=10000`)),
    Math.max(1, Math.floor(RUNS / 2))
  );
  const groupings = ["ioType", "poolCategory", "userId", "endpoint"];
  await row("consumption 7 days, every groupBy", "\u2264 30", groupings.map((g) => `consumption?${last(7)}&groupBy=${g}`), RUNS);
  await row("consumption 90 days, every groupBy", "\u2264 100", groupings.map((g) => `consumption?${last(90)}&groupBy=${g}`), RUNS);
  await row(
    "consumption 7 days, one user / pools / endpoint",
    "\u2264 30",
    [`userId=${enc(heavy[0])}`, "poolCategory=surplus&poolCategory=hybrid&groupBy=userId", `endpoint=${enc(endpoints[0])}`].map(
      (f) => `consumption?${last(7)}&${f}`
    ),
    RUNS
  );
  await row("consumption 7 days, amount range (scan)", "", [`consumption?${last(7)}&amountMin=1000&amountMax=5000`], RUNS);
  await row("surplus 7 days, every type", "\u2264 30", ["tokens", "storage", "ocr"].map((t) => `surplus?${last(7)}&resourceType=${t}`), RUNS);
  await row("surplus 90 days, every type", "\u2264 100", ["tokens", "storage", "ocr"].map((t) => `surplus?${last(90)}&resourceType=${t}`), RUNS);
  await row("limits, users, endpoints", "", ["limits", "users?q=a", "endpoints"], RUNS);
  const otherUsers = (await store.listUsers(OTHER_ORG.orgId, { limit: 200, offset: 0 })).items.map((u) => u.id);
  const otherLastId = await store.lastEventId(OTHER_ORG.orgId);
  const [otherNewest] = otherLastId ? await store.eventsAfter(OTHER_ORG.orgId, otherLastId - 1, 1) : [];
  const ingestNow = Math.max(now, otherNewest ? Date.parse(otherNewest.created) + LIMITS.windowMs + 6e4 : now);
  const ingestHandler = createHandler({ store, now: () => ingestNow, basePath: "/api" });
  const total = BATCHES * 1e3;
  const post = (events) => call(ingestHandler, "events", { method: "POST", body: JSON.stringify({ events }), headers: { "content-type": "application/json" } }, OTHER_ORG_INGEST_TOKEN);
  const benchEvent = (k) => ({
    userId: otherUsers[k % otherUsers.length],
    amount: 1 + k * 104729 % 50,
    resourceType: "tokens",
    ioType: k % 2 ? "output" : "input",
    requestId: `bench-${ingestNow}-${k}`,
    endpoint: endpoints[k % endpoints.length],
    created: iso(ingestNow - 6e4 + Math.floor(k * 6e4 / total))
  });
  await post([{ ...benchEvent(0), requestId: `bench-${ingestNow}-warm-up` }]);
  const started = performance3.now();
  const ingestCpu = process.cpuUsage();
  const ingestDatabaseStart = databaseCpu?.();
  let ingested = 0;
  let nextBatch = 0;
  await Promise.all(
    Array.from({ length: INGEST_CONCURRENCY }, async () => {
      while (nextBatch < BATCHES) {
        const b = nextBatch++;
        const answer = JSON.parse(await post(Array.from({ length: 1e3 }, (_, i) => benchEvent(b * 1e3 + i))));
        ingested += answer.items.filter((item) => "id" in item).length;
      }
    })
  );
  const rate = ingested / ((performance3.now() - started) / 1e3);
  const ingestCpuUsed = process.cpuUsage(ingestCpu);
  const cpuRate = ingested / ((ingestCpuUsed.user + ingestCpuUsed.system) / 1e6);
  const ingestDatabaseMs = databaseCpu ? databaseCpu() - ingestDatabaseStart : null;
  const bothRate = ingestDatabaseMs === null ? null : ingested / ((ingestCpuUsed.user + ingestCpuUsed.system) / 1e6 + ingestDatabaseMs / 1e3);
  log(
    `ingest: ${Math.round(rate)} events/s, ${Math.round(cpuRate)} per CPU second${bothRate === null ? "" : ` (${Math.round(bothRate)} with the database's CPU)`} (${ingested} stored)`
  );
  const newestId = await store.lastEventId(orgId);
  console.log(`
${STORE} store, demo organization up to event id ${newestId.toLocaleString("en-US")} (about ${EVENTS.toLocaleString("en-US")} seeded)`);
  console.log(
    `measured on ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end${loadavg()[0] > 1 ? " (a loaded, shared machine: figures are pessimistic)" : ""}`
  );
  if (opened.seedSeconds) console.log(`seeded in ${opened.seedSeconds.toFixed(0)} s`);
  const withDatabase = Boolean(databaseCpu);
  const blank = withDatabase ? " |" : "";
  console.log(`| measurement | target p95 ms | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms |${withDatabase ? " database CPU mean ms |" : ""} requests |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- |${withDatabase ? " --- |" : ""} --- |`);
  for (const r of rows) {
    const database = withDatabase ? ` ${r.database.toFixed(1)} |` : "";
    console.log(`| ${r.name} | ${r.target} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.cpu50.toFixed(1)} | ${r.cpu95.toFixed(1)} |${database} ${r.n} |`);
  }
  const ingestDatabase = withDatabase ? ` ${Math.round(bothRate).toLocaleString("en-US")} per CPU s with the database's |` : "";
  console.log(
    `| ingest through POST events, batches of 1,000 (second organization${INGEST_CONCURRENCY > 1 ? `, ${INGEST_CONCURRENCY} in flight` : ""}) | \u2265 20,000/s | ${Math.round(rate).toLocaleString("en-US")} events/s | | | ${Math.round(cpuRate).toLocaleString("en-US")} per CPU s | |${ingestDatabase} ${BATCHES} |`
  );
  console.log(`| database size | | ${(opened.size() / 2 ** 30).toFixed(2)} GiB | | | | |${blank} |`);
  console.log(`| process RSS | \u2264 500 MB | ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB | | | | |${blank} |`);
} finally {
  await opened.close();
}

/**
 * The traffic model of a seeded organization: its users (heavy-tailed activity, some who
 * keep dipping into surplus), their limits, and the rhythm of requests (daily and weekly,
 * with spikes: a team-wide rush or one user's batch job). The seed, the backfill and the
 * live simulator all draw from it, so the history and the live traffic look alike.
 */
import { RESOURCE_TYPES, type ResourceType } from '../../src/api/contract.js';
import type { IngestItem, OrganizationLimits, User, UserLimits } from '../store/types.js';
import { ENDPOINTS, FIRST_NAMES, LAST_NAMES, SERVICE_ACCOUNTS, TYPE_SHARE, type EndpointShape } from './catalog.js';
import { Random, WeightedPicker } from './prng.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Monday = 0 … Sunday = 6. */
const WEEKDAY_FACTOR = [1.0, 1.06, 1.08, 1.03, 0.88, 0.3, 0.24];

export interface OrganizationSpec {
  orgId: string;
  name: string;
  /** Seeds every random choice of this organization. */
  seed: string;
  users: number;
  /** Email domain. */
  domain: string;
  /** The working day's offset from UTC, in hours. */
  utcOffsetHours: number;
  /** Its service accounts' IDs (default `SERVICE_ACCOUNTS`): no two organizations share one. */
  serviceAccounts?: readonly string[];
}

export interface UserProfile {
  user: User;
  /** Relative activity. */
  weight: number;
  /** Keeps using more than the base budget at busy times. */
  dipper: boolean;
}

interface DayPlan {
  noise: number;
  spike: { start: number; end: number; factor: number; kind: 'team' | 'job'; user: number } | null;
}

/** Mean of a log-normal with this median and spread. */
function logNormalMean(median: number, sigma: number): number {
  return median * Math.exp((sigma * sigma) / 2);
}

function shapeMean(shape: EndpointShape): number {
  const input = logNormalMean(shape.median, shape.sigma);
  return shape.io === 'pair' ? input * (1 + (shape.outputRatio ?? 0) * Math.exp(0.125)) : input;
}

/** Expected amount per request of a resource type. */
function meanPerRequest(type: ResourceType): number {
  const shapes = ENDPOINTS.filter((s) => s.resourceType === type);
  const total = shapes.reduce((sum, s) => sum + s.weight, 0);
  return shapes.reduce((sum, s) => sum + (s.weight / total) * shapeMean(s), 0);
}

/** Events per request on average (token pairs count twice). */
export const EVENTS_PER_REQUEST = RESOURCE_TYPES.reduce((sum, type) => {
  const shapes = ENDPOINTS.filter((s) => s.resourceType === type);
  const total = shapes.reduce((acc, s) => acc + s.weight, 0);
  return sum + TYPE_SHARE[type] * shapes.reduce((acc, s) => acc + (s.weight / total) * (s.io === 'pair' ? 2 : 1), 0);
}, 0);

/**
 * An address's local part from a person's name, as a mail admin writes it: accents dropped
 * ("Tomás" → "tomas"), letters that do not decompose spelled out ("Søren" → "soren",
 * "Łukasz" → "lukasz", not "sren" and "ukasz"), spaces and other signs left out.
 */
export function emailLocalPart(name: string): string {
  const spelled: Record<string, string> = { ø: 'o', ł: 'l', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øłæœßđðþı]/g, (letter) => spelled[letter]!)
    .replace(/[^a-z.]/g, '');
}

export class TrafficModel {
  readonly profiles: UserProfile[];
  readonly #picker: WeightedPicker;
  readonly #days = new Map<number, DayPlan>();
  readonly #typePicker = new WeightedPicker(RESOURCE_TYPES.map((t) => TYPE_SHARE[t]));
  readonly #shapes = new Map<ResourceType, { shapes: EndpointShape[]; picker: WeightedPicker }>();

  constructor(readonly spec: OrganizationSpec) {
    const random = new Random(`${spec.seed}:users`);
    const taken = new Set<string>();
    this.profiles = [];
    const services = (spec.serviceAccounts ?? SERVICE_ACCOUNTS).slice(0, Math.max(1, Math.round(spec.users / 80)));
    for (const id of services) {
      this.profiles.push({ user: { id }, weight: random.between(15, 40), dipper: random.chance(0.5) });
      taken.add(id);
    }
    while (this.profiles.length < spec.users) {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      const id = `u_${random.token(8, '0123456789abcdefghijklmnopqrstuvwxyz')}`;
      if (taken.has(id)) continue;
      taken.add(id);
      const local = emailLocalPart(`${first}.${last}`);
      const user: User = { id, name: `${first} ${last}` };
      if (!random.chance(0.04)) user.email = `${local}${random.chance(0.3) ? random.int(2, 99) : ''}@${spec.domain}`;
      this.profiles.push({ user, weight: Math.min(random.pareto(1.16), 60), dipper: random.chance(0.12) });
    }
    this.#picker = new WeightedPicker(this.profiles.map((p) => p.weight));
    for (const type of RESOURCE_TYPES) {
      const shapes = ENDPOINTS.filter((s) => s.resourceType === type);
      this.#shapes.set(type, { shapes, picker: new WeightedPicker(shapes.map((s) => s.weight)) });
    }
  }

  #day(dayIndex: number): DayPlan {
    let plan = this.#days.get(dayIndex);
    if (!plan) {
      const random = new Random(`${this.spec.seed}:day:${dayIndex}`);
      const noise = random.between(0.85, 1.15);
      let spike: DayPlan['spike'] = null;
      if (random.chance(0.13)) {
        const start = dayIndex * DAY + random.between(8.5, 16) * HOUR;
        const team = random.chance(0.5);
        spike = {
          start,
          end: start + random.between(1.5, 4) * HOUR,
          // A team's rush draws enough at once for the pool to run dry at any seed size (at
          // 4.5–7 times, a 20,000-event seed's pool ran dry in 90 days from five starts in eight).
          factor: team ? random.between(6, 9) : random.between(3, 6),
          kind: team ? 'team' : 'job',
          user: this.#picker.pick(random),
        };
      }
      plan = { noise, spike };
      this.#days.set(dayIndex, plan);
    }
    return plan;
  }

  #local(t: number): number {
    return t + this.spec.utcOffsetHours * HOUR;
  }

  /** The relative request rate at an instant (1 ≈ a busy weekday hour). */
  weight(t: number): number {
    const local = this.#local(t);
    const dayIndex = Math.floor(local / DAY);
    const hour = (local - dayIndex * DAY) / HOUR;
    const weekday = (dayIndex + 3) % 7; // 1970-01-01 was a Thursday
    const curve = 0.08 + 0.92 * Math.max(Math.exp(-(((hour - 10.5) / 2.2) ** 2)), 0.85 * Math.exp(-(((hour - 15) / 2.4) ** 2)));
    const plan = this.#day(dayIndex);
    const spike = plan.spike && local >= plan.spike.start && local < plan.spike.end ? plan.spike.factor : 1;
    return curve * WEEKDAY_FACTOR[weekday]! * plan.noise * spike;
  }

  /** Σ weight over the minutes of `[from, to)` (a last minute cut short by `to` counts in part). */
  weightBetween(from: number, to: number): number {
    let sum = 0;
    for (let m = Math.ceil(from / MINUTE) * MINUTE; m < to; m += MINUTE) sum += this.#minuteWeight(m, to);
    return sum;
  }

  /** The weight of the minute starting at `m`, in proportion to how much of it lies before `to`. */
  #minuteWeight(m: number, to: number): number {
    return (this.weight(m) * Math.min(MINUTE, to - m)) / MINUTE;
  }

  /** Request instants over `[from, to)` in ascending order, in proportion to the rhythm. */
  plan(from: number, to: number, requests: number, random: Random): Float64Array {
    const first = Math.ceil(from / MINUTE) * MINUTE;
    const total = this.weightBetween(from, to);
    const out = new Float64Array(Math.max(0, Math.round(requests)));
    if (total === 0 || out.length === 0) return out.subarray(0, 0);
    let m = first;
    let before = 0;
    let w = this.#minuteWeight(m, to);
    for (let i = 0; i < out.length; i++) {
      const target = ((i + random.next()) / out.length) * total;
      while (before + w < target && m + MINUTE < to) {
        before += w;
        m += MINUTE;
        w = this.#minuteWeight(m, to);
      }
      // The last minute may be cut short by `to`: spread over what is left of it (clamping
      // to `to - 1` would pile that minute's requests onto one instant).
      const span = Math.min(MINUTE, to - m);
      out[i] = m + Math.floor(Math.min(1, Math.max(0, (target - before) / w)) * (span - 1));
    }
    return out;
  }

  /** Who makes a request at `t`: a batch job's owner during its spike, else by activity. */
  pickUser(t: number, random: Random): number {
    const local = this.#local(t);
    const spike = this.#day(Math.floor(local / DAY)).spike;
    if (spike && spike.kind === 'job' && local >= spike.start && local < spike.end && random.chance(1 - 1 / spike.factor)) return spike.user;
    return this.#picker.pick(random);
  }

  /** One request's events: a pair (input, output a moment later) or a single event. */
  request(t: number, user: number, random: Random): IngestItem[] {
    const type = RESOURCE_TYPES[this.#typePicker.pick(random)]!;
    const { shapes, picker } = this.#shapes.get(type)!;
    const shape = shapes[picker.pick(random)]!;
    const userId = this.profiles[user]!.user.id;
    const requestId = `req_${random.token(24)}`;
    const input = Math.max(1, Math.round(random.logNormal(shape.median, shape.sigma)));
    const base = { userId, resourceType: type, requestId, endpoint: shape.endpoint };
    if (shape.io === 'pair') {
      const output = Math.max(1, Math.round(input * (shape.outputRatio ?? 0.3) * random.logNormal(1, 0.5)));
      const latency = Math.min(60_000, Math.round(400 + random.logNormal(1_800, 0.8)));
      return [
        { ...base, amount: input, ioType: 'input', created: t },
        { ...base, amount: output, ioType: 'output', created: t + latency },
      ];
    }
    const ioType = shape.io === 'mixed' ? (random.chance(0.7) ? 'input' : 'output') : shape.io;
    return [{ ...base, amount: input, ioType, created: t }];
  }

  /**
   * Limits sized from the expected traffic at `requestsPerWeight` requests per unit of
   * weight and minute: most users well inside their base budget, dippers below their busy
   * hours, the pool about 30% of the summed surplus allowances; a few changes on the way,
   * so that limits carry their effective instants.
   */
  limits(requestsPerWeight: number, start: number, random = new Random(`${this.spec.seed}:limits`)): {
    organization: OrganizationLimits[];
    users: Map<string, UserLimits[]>;
  } {
    const totalWeight = this.profiles.reduce((sum, p) => sum + p.weight, 0);
    const surplusSum: Record<ResourceType, number> = { tokens: 0, storage: 0, ocr: 0 };
    const users = new Map<string, UserLimits[]>();
    for (const profile of this.profiles) {
      const versions: UserLimits[] = [];
      for (const type of RESOURCE_TYPES) {
        const mean = meanPerRequest(type);
        // A busy 4 hours: about 0.9 of the weight scale per minute.
        const busy = (profile.weight / totalWeight) * requestsPerWeight * 0.9 * 240 * TYPE_SHARE[type] * mean;
        const factor = profile.dipper ? random.between(0.35, 0.75) : random.between(1.0, 2.2);
        // Floors let a light user make a request or two; kept low so that the pool (a share
        // of the summed allowances) is sized by the users who really draw on it.
        const basePer4h = Math.round(Math.max(busy * factor, mean));
        const surplusPer4h = Math.round(Math.max(busy * factor * random.between(0.5, 1), 0.1 * mean));
        surplusSum[type] += surplusPer4h;
        versions.push({ resourceType: type, effectiveFrom: start, basePer4h, surplusPer4h });
        if (profile.dipper && type === 'tokens' && random.chance(0.25)) {
          versions.push({ resourceType: type, effectiveFrom: start + 60 * DAY, basePer4h: Math.round(basePer4h * 1.5), surplusPer4h });
        }
      }
      users.set(profile.user.id, versions);
    }
    const weekRequests = requestsPerWeight * this.#meanWeight() * 7 * 1440;
    const capacity = (scale: number) =>
      Object.fromEntries(RESOURCE_TYPES.map((type) => [type, Math.round(surplusSum[type] * 0.3 * scale)])) as Record<ResourceType, number>;
    const base = {
      weeklyTokenLimit: Math.round(weekRequests * TYPE_SHARE.tokens * meanPerRequest('tokens') * 1.6),
      storageLimit: Math.round(weekRequests * TYPE_SHARE.storage * meanPerRequest('storage') * 1.8),
    };
    return {
      organization: [
        { effectiveFrom: start, ...base, surplusCapacity: capacity(1) },
        { effectiveFrom: start + 45 * DAY, ...base, surplusCapacity: capacity(1.15) },
      ],
      users,
    };
  }

  #meanWeight(): number {
    // Two representative weeks, sampled every 10 minutes.
    let sum = 0;
    let n = 0;
    for (let t = 0; t < 14 * DAY; t += 10 * MINUTE) {
      sum += this.weight(Date.UTC(2024, 0, 1) + t);
      n++;
    }
    return sum / n;
  }
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESOURCE_TYPES } from '../../src/api/contract.js';
import { Random } from '../seed/prng.js';
import type { UserLimits } from '../store/types.js';
import { budgetAt, classifyItem, versionAt, type ClassifierSource } from './classification.js';
import { UsageWindows } from './windows.js';

test('budgetAt is the version in force among the type’s versions (versionAt over them), or nothing to spend', () => {
  const random = new Random('budget-at');
  for (let i = 0; i < 2_000; i++) {
    // Oldest first, as stored; several types interleaved, some types without a version.
    const limits: UserLimits[] = Array.from({ length: random.int(0, 6) }, () => ({
      resourceType: RESOURCE_TYPES[random.int(0, RESOURCE_TYPES.length - 1)]!,
      effectiveFrom: random.int(0, 10) * 1_000,
      basePer4h: random.int(0, 100),
      surplusPer4h: random.int(0, 100),
    })).sort((a, b) => a.effectiveFrom - b.effectiveFrom);
    const type = RESOURCE_TYPES[random.int(0, RESOURCE_TYPES.length - 1)]!;
    const t = random.int(-1, 11) * 1_000 + random.int(0, 1) * 500;
    const version = versionAt(limits.filter((l) => l.resourceType === type), t);
    const expected = version ? { basePer4h: version.basePer4h, surplusPer4h: version.surplusPer4h } : { basePer4h: 0, surplusPer4h: 0 };
    assert.deepEqual(budgetAt(limits, type, t), expected, JSON.stringify({ limits, type, t }));
  }
});

test("a refusal's message names the limit that is short: the user's allowance, the organization's pool, or what is left of the week", () => {
  const T = Date.parse('2026-03-10T12:00:00.000Z');
  const messageFor = (amount: number, capacity: number, weeklyTokenLimit: number): string => {
    const source: ClassifierSource = {
      windows: new UsageWindows(),
      organizationLimits: [{ effectiveFrom: 0, weeklyTokenLimit, storageLimit: 1e12, surplusCapacity: { tokens: capacity, storage: 1e9, ocr: 1e3 } }],
      userLimits: () => [{ resourceType: 'tokens', effectiveFrom: 0, basePer4h: 100, surplusPer4h: 50 }],
    };
    const outcome = classifyItem(source, { userId: 'u', amount, resourceType: 'tokens', ioType: 'input', requestId: 'r', endpoint: '/v1/x', created: T });
    assert.ok('error' in outcome, `${amount} is refused`);
    return outcome.error.message;
  };
  assert.equal(messageFor(200, 1_000, 1e9), "The amount exceeds the user's remaining base budget and surplus allowance.");
  assert.equal(messageFor(140, 10, 1e9), "The amount exceeds the user's remaining base budget and what is left of the organization's surplus pool.");
  assert.equal(messageFor(5_000, 1_000, 1_000), "The amount exceeds what is left of the organization's weekly token limit.");
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESOURCE_TYPES } from '../../src/api/contract.js';
import { Random } from '../seed/prng.js';
import type { UserLimits } from '../store/types.js';
import { budgetAt, versionAt } from './classification.js';

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

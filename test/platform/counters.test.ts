import { nextSequence } from '../../server/src/platform/counters';
import { useTestApp } from '../helpers/app';

useTestApp();

describe('nextSequence', () => {
  it('when 60 callers race on one sequence, then they get 1..60, each exactly once', async () => {
    const got = await Promise.all(Array.from({ length: 60 }, () => nextSequence('race')));
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('when sequences have different names, then they count independently', async () => {
    expect(await nextSequence('a:2026')).toBe(1);
    expect(await nextSequence('a:2026')).toBe(2);
    expect(await nextSequence('b:2026')).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { runLoad } from '../../scripts/load-core.js';

describe('a bounded load run on two instances, one SIGKILLed and restarted mid-run', () => {
  it('answers every turn exactly once, writes every page once, keeps every history in order', async () => {
    const { figures, problems } = await runLoad({
      threads: 12,
      perThread: 5,
      retryShare: 0.25,
      kill: true,
      timeoutMs: 60_000,
    });
    expect(problems).toEqual([]);
    expect(figures).toMatchObject({ turns: 60, answers: 60, pagesWritten: 60, errorLogs: 0 });
  }, 120_000);
});

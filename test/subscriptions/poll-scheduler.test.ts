/**
 * Subscriptions without REDIS_URL (src/subscriptions/poll-scheduler.ts): polled on timers in
 * the process, with the same warning as turns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../kit/harness.js';
import { deliveredTitles, deliveries, notices, runCommand } from '../kit/subscription-helpers.js';
import { waitUntil } from '../kit/wait.js';

const ANA = 'U0MEMANA';
const CHANNEL = 'C0MEMSUBS';

describe('subscriptions in process (no REDIS_URL)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ memoryStore: true, env: { SUBSCRIPTION_POLL_SECONDS: '0.3' } });
  });
  afterAll(() => h?.stop());

  it('warns that they are not kept, and delivers on timers', async () => {
    expect(
      h.logs.some((l) =>
        String(l.msg).startsWith('Without REDIS_URL subscriptions run in this process only'),
      ),
    ).toBe(true);
    const owner = `slack-${h.slack.teamId}-${ANA}`;
    h.composio.connect(owner);
    await runCommand(h, ANA, CHANNEL, 'subscribe MKT', 'mem');
    await waitUntil('the confirmation', () =>
      notices(h.slack, CHANNEL).some((n) => n.includes('subscribed this channel')),
    );
    h.composio.confluence.addContent(owner, 'MKT', { title: 'In Memory' });
    await waitUntil('the card', () => deliveries(h.slack, CHANNEL).length === 1);
    expect(deliveredTitles(h.slack, CHANNEL, ['In Memory'])).toEqual(['In Memory']);
  });
});

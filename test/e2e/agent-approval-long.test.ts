/** An Approve/Deny prompt for 50 multi-execute deletes stays within Slack's block limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text, toolUse } from '../kit/fake-anthropic/index.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { answerIn, approvalPrompt, buttonClick, composioUserOf, mention } from './agent-helpers.js';

const CHANNEL = 'C0BULK';
const USER = 'U0BULK';

describe('approval prompt for many operations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.composio.connect(composioUserOf(h, USER));
  });
  afterAll(() => h?.stop());

  it('posts the prompt for 50 deletes in sections of at most 3,000 characters, listing all', async () => {
    const tools = Array.from({ length: 50 }, (_, i) => ({
      tool_slug: 'CONFLUENCE_DELETE_PAGE',
      arguments: {
        id: String(700_000 + i),
        reason: `stale page ${i} from the old wiki `.repeat(3),
      },
    }));
    h.anthropic.script({
      content: [
        text("I'll delete the 50 stale pages."),
        toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', { tools }),
      ],
    });
    const turn = await mention(h, { user: USER, channel: CHANNEL, text: 'delete the stale pages' });
    const prompt = await approvalPrompt(h, turn.threadTs);
    expect(prompt.result?.ok, JSON.stringify(prompt.result)).toBe(true);
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON.
    const blocks = prompt.args.blocks as any[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    const sections = blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);
    expect(sections.length).toBeGreaterThan(1);
    for (const section of sections) expect(section.length).toBeLessThanOrEqual(3_000);
    const shown = sections.join('\n');
    for (let i = 0; i < 50; i++) expect(shown).toContain(`"id":"${700_000 + i}"`);
    // The turn did not fail on the prompt: it is paused, waiting for a decision.
    expect((await h.state.turnRecord(turn.eventId))?.status).toBe('awaiting_approval');

    // Denied: the prompt is rewritten with the verdict, still within Slack's limits.
    h.anthropic.script({ content: [text('OK, I left them all.')] });
    const message = { ts: String(prompt.result!.ts), thread_ts: turn.threadTs };
    await h.requester.interaction(
      h.eventsUrl,
      buttonClick(h, {
        user: USER,
        channel: CHANNEL,
        message,
        actionId: 'approval_deny',
        value: turn.eventId,
      }),
    );
    const update = await h.slack.waitFor('chat.update', (c) => c.args.ts === message.ts);
    expect(update.result?.ok, JSON.stringify(update.result)).toBe(true);
    expect(JSON.stringify(update.args.blocks)).toContain('Denied by');
    await answerIn(h, CHANNEL, turn.threadTs, 'OK, I left them all.');
  });
});

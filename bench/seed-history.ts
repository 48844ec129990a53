import type Anthropic from '@anthropic-ai/sdk';
import { Redis } from 'ioredis';
import { createKeys } from '../src/store/keys.js';
import { createRedisKeyValueStore } from '../src/store/redis-kv.js';
import { createStores } from '../src/store/stores.js';
import { baselineHistoryKey } from './baseline/bot.js';
import type { Variant } from './bench-app.js';

const FILLER =
  'Revenue grew in every region; the launch moved to the second week; hiring is on plan. ';

/** One earlier exchange as a real one looks: ask, tool call, its result, the answer. */
function exchange(i: number): Anthropic.MessageParam[] {
  const id = `toolu_seed_${String(i).padStart(6, '0')}`;
  const title = `Quarterly plan ${i}`;
  const page = {
    id: String(100_000 + i),
    title,
    space: 'MKT',
    version: { number: 3 },
    body: `<p>${FILLER.repeat(18)}</p>`,
  };
  return [
    { role: 'user', content: `Please read "${title}" in MKT and tell me what changed. ${FILLER}` },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me open that page.' },
        {
          type: 'tool_use',
          id,
          name: 'COMPOSIO_MULTI_EXECUTE_TOOL',
          input: {
            tools: [
              {
                tool_slug: 'CONFLUENCE_GET_PAGE_BY_TITLE',
                arguments: { title, space_key: 'MKT' },
              },
            ],
          },
        },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: id,
          content: [{ type: 'text', text: JSON.stringify({ data: page, successful: true }) }],
        },
      ],
    },
    {
      role: 'assistant',
      content: [{ type: 'text', text: `"${title}" changed: ${FILLER.repeat(5)}` }],
    },
  ];
}

/** A conversation of `messages` messages (whole exchanges of four, rounded down). */
export function seededConversation(messages: number): Anthropic.MessageParam[] {
  return Array.from({ length: Math.floor(messages / 4) }, (_, i) => exchange(i)).flat();
}

/** Stores a conversation as a thread's history, where the given variant will load it from. */
export async function seedThreadHistory(
  redisUrl: string,
  variant: Variant,
  thread: { teamId: string; channel: string; threadTs: string },
  messages: Anthropic.MessageParam[],
): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    if (variant === 'baseline') {
      await redis.set(
        baselineHistoryKey(thread.channel, thread.threadTs),
        JSON.stringify(messages),
      );
      return;
    }
    // The product's own store and key layout (the default key prefix, as the app uses).
    const stores = createStores(createRedisKeyValueStore(redis), createKeys());
    await stores.history.save(thread, messages);
  } finally {
    await redis.quit().catch(() => {});
  }
}

/** What the user is told when a turn's agent loop fails: Claude's outage versus a bug of ours. */
import { Writable } from 'node:stream';
import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { ModelClient } from '../../src/agent/model-client.js';
import type { ToolCatalog } from '../../src/agent/tool-schema.js';
import type { ConversationMessage, ToolHost } from '../../src/agent/types.js';
import { CodedError, userMessageFor } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { createKeys } from '../../src/store/keys.js';
import type { KeyValueStore } from '../../src/store/kv.js';
import { createMemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { createStores } from '../../src/store/stores.js';
import { createTurnRunner } from '../../src/turns/run-turn.js';
import type { TurnOutput } from '../../src/turns/turn-output.js';
import type { TurnRecord } from '../../src/turns/turn-record.js';
import type { TurnRequest } from '../../src/turns/turn-request.js';
import { recordingHost, routerCatalog, scriptedModel, text, use } from '../agent/scripted.js';

const BUSY = userMessageFor(new CodedError('model_unavailable', 'expected'));
const GENERIC = userMessageFor(new Error('expected'));

const request: TurnRequest = {
  id: 'Ev0ADVANCE',
  source: 'mention',
  teamId: 'T0ADV',
  channel: 'C0ADV',
  threadTs: '1700000000.000100',
  messageTs: '1700000000.000100',
  userId: 'U0ADV',
  text: 'list my spaces',
};

type TestStores = ReturnType<typeof createStores<ConversationMessage, TurnRecord, TurnRequest>>;

/**
 * Runs one turn over in-memory stores with the given model and tools (after `before` has set
 * the stores up, as an earlier run would have left them); returns what it showed.
 */
async function runTurn(
  model: ModelClient,
  tools: { host: ToolHost; catalog: ToolCatalog },
  before?: (stores: TestStores) => Promise<void>,
  kv: KeyValueStore = createMemoryKeyValueStore(),
) {
  const answers: string[] = [];
  const answerOptions: Array<Parameters<TurnOutput['answer']>[2]> = [];
  const logs: Array<Record<string, unknown>> = [];
  const output: TurnOutput = {
    status: async () => {},
    streamText: async () => {},
    answer: async (_request, markdown, options) => {
      answers.push(markdown);
      answerOptions.push(options);
    },
    askApproval: async () => {},
    connectLink: async () => {},
    visibleState: () => ({}),
    restore: () => {},
  };
  const logger = createLogger({
    level: 'error',
    destination: new Writable({
      write: (line, _encoding, done) => done(void logs.push(JSON.parse(String(line)))),
    }),
  });
  const stores: TestStores = createStores(kv, createKeys('advance-test'));
  await before?.(stores);
  const runner = createTurnRunner({
    stores,
    sessions: { forUser: async () => tools, close: async () => {} },
    model,
    output,
    composioUserIdOf: async () => 'composio-user',
    system: 'system',
    maxModelCalls: 4,
    historyBudgetTokens: 10_000,
    toolkits: ['confluence'],
    extraDestructive: new Set(),
    logger,
  } as Parameters<typeof createTurnRunner>[0]);
  await runner.run(request);
  return { answers, answerOptions, logs, stores };
}

/** The error logged when the turn failed. */
const loggedError = (logs: Array<Record<string, unknown>>) =>
  logs.find((l) => l.turn === request.id && l.err)?.err as { code?: string } | undefined;

describe('advanceTurn failures', () => {
  it("tells the user Claude is busy when the model client reports it's unavailable", async () => {
    const model: ModelClient = {
      respond: async () => {
        throw new CodedError('model_unavailable', 'model call failed: 529 overloaded');
      },
    };
    const { answers, logs } = await runTurn(model, { ...recordingHost(), catalog: routerCatalog });
    expect(answers).toEqual([BUSY]);
    expect(loggedError(logs)?.code).toBe('model_unavailable');
  });

  it('reports a malformed model response (a TypeError in our loop) as our failure, not Claude', async () => {
    // No `content`: reading it is a TypeError inside the loop, not an outage of Claude.
    const model: ModelClient = {
      respond: async () => ({ stop_reason: 'end_turn' }) as unknown as Anthropic.Message,
    };
    const { answers, logs } = await runTurn(model, { ...recordingHost(), catalog: routerCatalog });
    expect(answers).toEqual([GENERIC]);
    expect(answers[0]).not.toBe(BUSY);
    expect(loggedError(logs)?.code).toBe('internal');
  });

  it('reports a tool catalog that throws outside any tool call as our failure, not Claude', async () => {
    const { model } = scriptedModel({
      content: [use('t1', 'COMPOSIO_SEARCH_TOOLS', {})],
      stop_reason: 'tool_use',
    });
    const broken = {
      ...routerCatalog,
      hostNameOf: {
        get: () => {
          throw new TypeError('hostNameOf.get is not a function');
        },
      },
    } as unknown as ToolCatalog;
    const { answers, logs } = await runTurn(model, { ...recordingHost(), catalog: broken });
    expect(answers).toEqual([GENERIC]);
    expect(loggedError(logs)?.code).toBe('internal');
  });

  it('still gives a TypeError thrown by a tool call back to Claude as an error result', async () => {
    const { model, requests } = scriptedModel(
      { content: [use('t1', 'COMPOSIO_SEARCH_TOOLS', {})], stop_reason: 'tool_use' },
      { content: [text('The search failed.')], stop_reason: 'end_turn' },
    );
    const host = recordingHost(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'items')");
    });
    const { answers } = await runTurn(model, { ...host, catalog: routerCatalog });
    expect(answers).toEqual(['The search failed.']);
    const results = requests[1]!.messages.at(-1)!.content as Anthropic.ToolResultBlockParam[];
    expect(results).toMatchObject([{ tool_use_id: 't1', is_error: true }]);
  });
});

describe('a finishing turn', () => {
  it('lists the pages its answer cites, also when a run of it again finishes it', async () => {
    const sources = [
      {
        url: 'https://acme.atlassian.net/wiki/spaces/MKT/pages/1/Plan',
        title: 'Plan',
        space: 'MKT',
      },
    ];
    // An earlier run saved the finished turn, then died before posting the answer.
    const { answers, answerOptions } = await runTurn(
      scriptedModel().model,
      { ...recordingHost(), catalog: routerCatalog },
      (stores) =>
        stores.turns.set(
          {
            request,
            composioUserId: 'composio-user',
            state: {
              messages: [
                { role: 'user', content: 'when?' },
                { role: 'assistant', content: 'In May[1].' },
              ],
              turnStart: 0,
              modelCalls: 1,
              results: {},
              started: [],
              decisions: {},
            },
            status: 'finishing',
            approvals: [],
            answer: 'In May[1].',
            sources,
            historyApart: true,
          },
          request.id,
        ),
    );
    expect(answers).toEqual(['In May[1].']);
    expect(answerOptions).toEqual([{ resumed: true, sources }]);
  });
});

describe('the history a turn appends to', () => {
  const thread = { teamId: request.teamId, channel: request.channel, threadTs: request.threadTs };
  const earlier: ConversationMessage[] = [
    { role: 'user', content: 'before' },
    { role: 'assistant', content: 'earlier answer' },
  ];

  it('is read once in a turn: the turn is appended to the history it read', async () => {
    const kv = createMemoryKeyValueStore();
    const reads: string[][] = [];
    const counted: KeyValueStore = {
      ...kv,
      get(key) {
        reads.push([key]);
        return kv.get(key);
      },
      getMany(keys) {
        reads.push([...keys]);
        return kv.getMany(keys);
      },
    };
    const { answers, stores } = await runTurn(
      scriptedModel({ content: [text('Two spaces.')], stop_reason: 'end_turn' }).model,
      { ...recordingHost(), catalog: routerCatalog },
      async (s) => void (await s.history.save(thread, earlier)),
      counted,
    );
    expect(answers).toEqual(['Two spaces.']);
    expect(reads.filter((keys) => keys.some((k) => k.includes(':thread:')))).toHaveLength(1);
    expect((await stores.history.load(thread)).map((m) => m.content)).toEqual([
      'before',
      'earlier answer',
      'list my spaces',
      [text('Two spaces.')],
    ]);
  });

  it('is read again when another save came meanwhile, which it keeps', async () => {
    let stores: TestStores | undefined;
    const model: ModelClient = {
      async respond(req, onText) {
        // Another writer appends to the thread while this turn runs.
        await stores!.history.save(thread, [
          ...earlier,
          { role: 'user', content: 'meanwhile' },
          { role: 'assistant', content: 'meanwhile answer' },
        ]);
        return scriptedModel({
          content: [text('Two spaces.')],
          stop_reason: 'end_turn',
        }).model.respond(req, onText);
      },
    };
    await runTurn(model, { ...recordingHost(), catalog: routerCatalog }, async (s) => {
      stores = s;
      await s.history.save(thread, earlier);
    });
    expect((await stores!.history.load(thread)).map((m) => m.content)).toEqual([
      'before',
      'earlier answer',
      'meanwhile',
      'meanwhile answer',
      'list my spaces',
      [text('Two spaces.')],
    ]);
  });
});

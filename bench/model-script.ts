import { type Responder, text, toolUse } from '../test/kit/fake-anthropic/index.js';

/** Every benchmark answer starts with this, so a finished turn is told from a failure notice. */
export const ANSWER_MARK = 'Bench answer';

/** The answer of every turn: short and plain, so Slack formatting leaves it as it is. */
export const ANSWER = `${ANSWER_MARK}: you can see the spaces MKT and ENG, with their home pages.`;

/**
 * The model side of one standard turn, stateless so turns can run concurrently: a request
 * whose last message is the user's asks for one tool call (list the spaces through
 * COMPOSIO_MULTI_EXECUTE_TOOL); a request carrying the tool result gets the text answer.
 */
export function benchResponder(): Responder {
  return (request) => {
    const messages = (request.body?.messages ?? []) as Array<{ content: unknown }>;
    const last = messages.at(-1)?.content;
    const hasResult =
      Array.isArray(last) && last.some((b: { type?: string }) => b?.type === 'tool_result');
    if (hasResult) return { content: [text(ANSWER)] };
    return {
      content: [
        toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', {
          tools: [{ tool_slug: 'CONFLUENCE_GET_SPACES', arguments: {} }],
        }),
      ],
    };
  };
}

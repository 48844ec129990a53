/**
 * Shared steps for the "Summarise to Confluence" tests on long threads: a seeded thread whose
 * first, middle and last messages carry markers, a fake model that carries what it reads into
 * its answers, and the shortcut plus form submission.
 */
import { echoMatches, type RecordedRequest, type Responder, text } from './fake-anthropic/index.js';
import type { FakeSlack } from './fake-slack/index.js';
import { runSummariseShortcut, type SlackSide, viewSubmission } from './slack-helpers.js';
import { createPageCall } from './tool-calls.js';

/** Markers the seeded messages carry: `FIRST-MARKER-<tag>`, `MIDDLE-…`, `LAST-…`. */
export const MARKERS = /\b[A-Z]+-MARKER-\w+/g;
/** The facts line the app puts in front of a whole thread. */
const FACTS = /The whole thread: [^\n]*/g;
/** Length of every seeded message. */
export const MESSAGE_CHARS = 250;

/** A model request of the agent loop (with tools), as opposed to a part summary (without). */
export const hasTools = (r: RecordedRequest) =>
  Array.isArray(r.body.tools) && r.body.tools.length > 0;

/** Whether the request's last message carries tool results (the agent's call after a tool ran). */
const afterToolCall = (r: RecordedRequest) =>
  JSON.stringify(r.body.messages.at(-1).content).includes('"tool_result"');

/** `said`, padded with numbered filler to MESSAGE_CHARS, so a quoted message is recognisable. */
const padded = (n: number, said: string) =>
  `${said} filler line ${n}: ${'we talked about the launch plan at length. '.repeat(8)}`.slice(
    0,
    MESSAGE_CHARS,
  );

/** Seeds a thread of `count` messages by two users; first, middle and last carry markers. */
export function seedMarkedThread(
  slack: FakeSlack,
  options: { channel: string; users: [string, string]; count: number; tag: string },
) {
  const { channel, users, count, tag } = options;
  const root = slack.addMessage({
    channel,
    user: users[0],
    text: padded(1, `FIRST-MARKER-${tag} kickoff`),
  });
  let last = root;
  for (let i = 2; i <= count; i++) {
    const said =
      i === count
        ? `LAST-MARKER-${tag} wrap-up`
        : i === Math.floor(count / 2)
          ? `MIDDLE-MARKER-${tag}`
          : 'note';
    last = slack.addMessage({
      channel,
      thread_ts: root.ts,
      user: users[i % 2]!,
      text: padded(i, said),
    });
  }
  return { root, last };
}

/**
 * A model that reads its requests: a part request (no tools) is answered with the markers it
 * quotes, as notes would keep them; the agent's first call creates page `title` from the facts
 * and markers it was given; its call after the tool ran answers "Created <title>.".
 */
export function summarisingModel(title: string): Responder {
  return (request) => {
    if (!hasTools(request)) return { content: [text(echoMatches(request, MARKERS).join('\n'))] };
    if (afterToolCall(request)) return { content: [text(`Created ${title}.`)] };
    const said = [...echoMatches(request, FACTS), ...echoMatches(request, MARKERS)];
    return { content: [createPageCall(title, { html: `<p>${said.join('</p><p>')}</p>` })] };
  };
}

/** Runs the shortcut on the thread `rootTs` as `user` and submits the form for page `title` in MKT. */
export async function submitSummarise(
  side: SlackSide,
  options: { user: string; channel: string; rootTs: string; title: string },
) {
  const { user, channel, rootTs, title } = options;
  const update = await runSummariseShortcut(side, {
    user,
    channel,
    message: { user, ts: rootTs, thread_ts: rootTs },
  });
  const res = await side.requester.interaction(
    side.eventsUrl,
    viewSubmission(side, {
      user,
      view: update.result!.view,
      values: {
        space: { value: { type: 'static_select', selected_option: { value: 'MKT' } } },
        title: { value: { type: 'plain_text_input', value: title } },
      },
    }),
  );
  if (res.status !== 200) throw new Error(`form submission refused: HTTP ${res.status}`);
}

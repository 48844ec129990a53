import type { WebClient } from '@slack/web-api';
import { CodedError, userMessageFor } from '../../errors.js';
import type { TurnJob } from '../../turns/turn-job.js';
import type { TurnNotices } from '../../turns/turn-output.js';
import { repliesViaResponseUrl } from '../../turns/turn-request.js';
import type { PrivateReplies } from './response-url.js';

const WAITING = "I'm still working on an earlier request in this thread; yours is next in line.";
const FAILED =
  "Sorry, I couldn't finish this request: it failed repeatedly on my side. Nothing more will happen for it; please try again.";

/** Posts a short note where the job's answer would go. */
async function post(
  client: WebClient,
  privately: PrivateReplies,
  job: TurnJob,
  text: string,
): Promise<void> {
  // A slash command's new thread may not exist yet: the note goes to its requester privately.
  if (job.kind === 'turn' && repliesViaResponseUrl(job.request)) {
    await privately.send(job.request, [{ text }]);
    return;
  }
  const thread = job.kind === 'turn' ? job.request : job.thread;
  await client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, text });
}

/** Slack notes for turns that wait unusually long, or fail for good. */
export function createTurnNotices(client: WebClient, privately: PrivateReplies): TurnNotices {
  return {
    waiting: (job) => post(client, privately, job, WAITING),
    failed: (job) => post(client, privately, job, FAILED),
    unavailable: (job, reason) =>
      post(
        client,
        privately,
        job,
        userMessageFor(
          reason instanceof CodedError && reason.code === 'shutting_down'
            ? reason
            : new CodedError('store_unavailable', 'queue unavailable'),
        ),
      ),
  };
}

/** Error codes the app raises; each maps to one user-facing explanation. */
export type ErrorCode =
  | 'store_unavailable'
  | 'tools_unavailable'
  | 'model_unavailable'
  | 'slack_failed'
  /** COMPOSIO_USER_ID_MODE=email: the user's Slack e-mail could not be read (scope, no e-mail). */
  | 'identity_email_unavailable'
  /** This process is stopping (a deploy or restart) and takes no new turns. */
  | 'shutting_down';

/** An error with a stable code and its original cause kept. */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CodedError';
  }
}

/**
 * Runs `work`, re-raising any failure as a CodedError with `code` (cause kept, and its message
 * after ours, since some listeners log only `err.message`). Users see the code's message only.
 */
export async function withCode<T>(
  code: ErrorCode,
  message: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof CodedError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new CodedError(code, `${message}: ${reason}`, { cause: err });
  }
}

const USER_MESSAGES: Record<ErrorCode | 'unknown', string> = {
  store_unavailable:
    "I can't reach my conversation store right now, so I didn't act on this. Please try again in a minute.",
  tools_unavailable:
    "I couldn't reach Confluence through Composio just now, so nothing was changed. Please try again in a minute.",
  model_unavailable:
    'Claude is busy or unavailable right now, even after a few retries. Please try again in a minute.',
  slack_failed:
    'I had trouble reaching Slack just now, so I did not go on with this. Please try again in a minute.',
  identity_email_unavailable:
    "I couldn't read the e-mail address on your Slack profile, which I use to find your Confluence connection, so I didn't act on this. Please ask a Slack admin to check that this app has the users:read.email scope and that your profile has an e-mail address.",
  shutting_down:
    "I'm restarting right now, so I didn't start on this. Please send it again in a minute.",
  unknown: 'Something went wrong on my side and I could not finish this request. Please try again.',
};

/** The message a user sees for a failure; never includes the raw error (it may hold secrets). */
export function userMessageFor(err: unknown): string {
  return USER_MESSAGES[err instanceof CodedError ? err.code : 'unknown'];
}

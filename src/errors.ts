/** Error codes the app raises; each maps to one user-facing explanation (USER_MESSAGES). */
export type ErrorCode =
  | 'store_unavailable'
  | 'tools_unavailable'
  /** Anthropic's API failed or could not be reached, after the SDK's own retries. */
  | 'model_unavailable'
  | 'slack_failed'
  /** COMPOSIO_USER_ID_MODE=email: the user's Slack e-mail could not be read (scope, no e-mail). */
  | 'identity_email_unavailable'
  /** This process is stopping (a deploy or restart) and takes no new turns. */
  | 'shutting_down'
  /** The environment is incomplete or malformed (ConfigError). */
  | 'config_invalid'
  /** The terminal chat got an unknown flag or a flag without its value (ChatArgsError). */
  | 'chat_args_invalid'
  /** The MCP session behind a user's tools is gone (SessionExpiredError). */
  | 'session_expired'
  /** Composio started a Connect Link but gave no URL for it (ConnectLinkMissingError). */
  | 'connect_link_missing'
  /** A file attached to the request could not be fetched from Slack (gone, or no access). */
  | 'file_unavailable'
  /** An attached file's bytes are not what it claimed to be (type, or size). */
  | 'file_unreadable'
  /** A bug of ours (an unexpected TypeError and the like), not an outside service failing. */
  | 'internal';

/**
 * The base of every error the app raises: a stable code, and the original cause kept. A failure
 * that callers tell apart gets its own small subclass (ConfigError, SessionExpiredError, …).
 */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
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

const SOMETHING_WENT_WRONG =
  'Something went wrong on my side and I could not finish this request. Please try again.';

/** What the user is told for each code; the one table of user-facing failure messages. */
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
  config_invalid:
    "I'm not set up correctly, so I didn't act on this. Please ask whoever runs this app to check its configuration.",
  chat_args_invalid:
    "I didn't understand those options. Run `npm run chat -- --help` to see the ones I take.",
  session_expired:
    'My session with Confluence through Composio ended and could not be renewed just now. Please try again in a minute.',
  connect_link_missing:
    "Composio didn't give me a link to connect your account just now, so nothing was changed. Please try again in a minute.",
  file_unavailable:
    "I couldn't fetch the attached file from Slack (it may have been deleted, or I can't see it), so I didn't go on with this. Please attach it again.",
  file_unreadable:
    "One of the attached files isn't what its name says, or is bigger than Slack reported, so I didn't go on with this. I can read PDFs, plain text, Markdown and CSV files, and PNG, JPEG, GIF and WebP images.",
  internal: SOMETHING_WENT_WRONG,
  unknown: SOMETHING_WENT_WRONG,
};

/** The message a user sees for a failure; never includes the raw error (it may hold secrets). */
export function userMessageFor(err: unknown): string {
  return USER_MESSAGES[err instanceof CodedError ? err.code : 'unknown'];
}

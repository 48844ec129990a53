import type { Logger } from '../logger.js';
import type { TurnDispatcher } from './dispatcher.js';
import type { TurnNotices } from './turn-output.js';

/**
 * When a turn cannot even be queued (Redis down), the requester hears so at once instead of
 * silence; the listener then completes normally, so Slack is not left retrying. A caller that
 * answers the user itself asks for the refusal instead (`rejectIfRefused`).
 */
export function withSubmitFallback(
  dispatcher: TurnDispatcher,
  notices: Pick<TurnNotices, 'unavailable'>,
  logger: Logger,
): TurnDispatcher {
  return {
    async submit(job, options) {
      try {
        await dispatcher.submit(job, options);
      } catch (err) {
        logger.error({ err }, 'could not accept a turn');
        if (options?.rejectIfRefused) throw err;
        await notices
          .unavailable(job, err)
          .catch((postErr) => logger.error({ err: postErr }, 'could not tell the requester'));
      }
    },
    drain: (timeoutMs) => dispatcher.drain(timeoutMs),
  };
}

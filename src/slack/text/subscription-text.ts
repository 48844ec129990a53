/** What the channel and the person are told about subscriptions, as Slack mrkdwn. */
import { describeKinds } from '../../subscriptions/subscription.js';
import type { SubscriptionNotice } from '../../subscriptions/subscription-output.js';
import type { ListedSubscription } from '../../subscriptions/subscriptions.js';
import { escapeMrkdwn } from './command-parse.js';

/** The text of a notice posted in a subscription's channel. */
export function noticeText(n: SubscriptionNotice): string {
  const space = `*${escapeMrkdwn(n.sub.spaceKey)}*`;
  const owner = `<@${n.sub.ownerUserId}>`;
  switch (n.kind) {
    case 'subscribed':
      return `${owner} ${n.replaced ? "changed this channel's subscription" : 'subscribed this channel'} to ${space} (${escapeMrkdwn(n.sub.spaceName)}) — ${describeKinds(n.sub.kinds)}, seen with ${owner}'s Confluence access.`;
    case 'unsubscribed':
      return `<@${n.byUserId}> unsubscribed this channel from ${space}.`;
    case 'paused':
      return `:double_vertical_bar: The subscription to ${space} is paused: ${owner}'s Confluence access no longer reaches it (${escapeMrkdwn(n.reason)}). It resumes, with what changed meanwhile, once ${owner} reconnects (\`/confluence connect\`).`;
    case 'resumed':
      return `:arrow_forward: The subscription to ${space} is back, with ${owner}'s access; here is what changed meanwhile.`;
    case 'failing':
      return `:warning: I can't reach Confluence to check ${space} right now. I keep trying and post the changes once it answers (this is said once per outage).`;
  }
}

/** "3 min ago"-style text is left to Slack: its date token shows the reader's own time. */
function slackDate(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${new Date(ms).toISOString().slice(0, 16)}Z>`;
}

/** One line of `/confluence subscriptions`: space, kinds, owner, last delivery, pause. */
export function subscriptionLine(l: ListedSubscription, withChannel = false): string {
  const where = withChannel ? ` in <#${l.sub.channel}>` : '';
  const last = l.lastDeliveryAt
    ? `last delivery ${slackDate(l.lastDeliveryAt)}`
    : 'nothing delivered yet';
  const paused = l.paused
    ? ` · :double_vertical_bar: paused (${escapeMrkdwn(l.paused.reason)})`
    : '';
  return `• *${escapeMrkdwn(l.sub.spaceKey)}*${where} — ${describeKinds(l.sub.kinds)}, owner <@${l.sub.ownerUserId}>, ${last}${paused}`;
}

/** The private answer to `/confluence subscriptions`. */
export function channelSubscriptionsText(list: ListedSubscription[]): string {
  if (!list.length)
    return 'This channel follows no Confluence space. Subscribe with `/confluence subscribe SPACE [pages|blogposts|comments|all]`.';
  return ['This channel follows:', ...list.map((l) => subscriptionLine(l))].join('\n');
}

/** The subscriptions a person owns, for the help text and the App Home (none: empty). */
export function ownedSubscriptionsText(list: ListedSubscription[]): string {
  if (!list.length) return '';
  return [
    '*Your channel subscriptions* (they read with your access):',
    ...list.map((l) => subscriptionLine(l, true)),
  ].join('\n');
}

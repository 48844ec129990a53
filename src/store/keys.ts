const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

/**
 * How long each kind of key lives, in seconds, from its last write (or read, where a record is
 * touched on read). Every key the app writes has one: nothing in Redis grows without bound.
 * BullMQ's own keys (under `bull`) are bounded by the queue's removeOnComplete/removeOnFail.
 */
export const TTL = {
  /** A thread's history: a month after its last turn, a conversation is over. */
  thread: 30 * DAY,
  /** Lives as long as the history it points into. */
  threadCursor: 30 * DAY,
  /** A greeting is said once a year at most, even if the person comes back much later. */
  greeted: 365 * DAY,
  /** Refreshed on every read as well: an identity in use never expires (SPEC §4, stable). */
  composioUser: 180 * DAY,
  /** Tool Router sessions are recreated on expiry anyway; a week saves the creation calls. */
  session: 7 * DAY,
  /** A turn (running, awaiting approval, or handed over): approvals older than a day are stale. */
  turn: DAY,
  /** As long as BullMQ may still run a turn's job again (stalled, re-delivered). */
  turnDone: DAY,
  /** Uses of a response_url: Slack takes five within 30 minutes of the interaction. */
  responseUrl: 30 * MINUTE,
  /** A thread's line of turns: outlives the turns waiting in it (a turn is stale after a day). */
  line: 2 * DAY,
  /** Cluster-wide counters for /metrics; renewed on every increment, dropped once idle. */
  counter: 30 * DAY,
  /** A handled Slack event id: Slack retries a delivery for minutes, re-deliveries within hours. */
  event: DAY,
  /**
   * An event id claimed while its delivery is handled: if this process dies before the ack,
   * Slack's next retry (after a minute, past the first quick one) must get through.
   */
  eventClaim: 10,
  /**
   * A page's link preview for one poster: the same link posted again within minutes is not
   * looked up again, and an edit or a new restriction shows within minutes too.
   */
  linkPreview: 5 * MINUTE,
  /**
   * A channel's subscription, its poll state and the indexes naming it: restarted by every poll
   * (and by subscribing), so one in use never expires and one whose poller is gone does.
   */
  subscription: 30 * DAY,
  /**
   * A change (content id:version) claimed or posted in a channel: the seen-set. Outlives the
   * longest window a poll reads again (the catch-up after a pause is cut at a week).
   */
  delivered: 8 * DAY,
  /**
   * A channel's delivery lock: held while one poll posts there, renewed every third of this
   * while it does (src/store/held-lock.ts); a dead holder's lapses within this.
   */
  channelLock: 6,
  /** One poll of a subscription at a time: held (and renewed) while it runs; a dead one's lapses. */
  subscriptionPoll: 6,
  /** A notice said once (paused, failing): per pause or outage, which end within a week. */
  subscriptionNotice: 8 * DAY,
  /** A day's token tally: this month and the last stay readable (Slack status, operator view). */
  usage: 62 * DAY,
} as const;

/** Builds every Redis key the app uses, so the layout is visible in one place (as BullMQ does). */
export function createKeys(prefix = 'cas') {
  return {
    /** Conversation history of one Slack thread; the team is part of the key. TTL.thread */
    thread: (teamId: string, channel: string, threadTs: string) =>
      `${prefix}:thread:${teamId}:${channel}:${threadTs}`,
    /** How many times a thread's history was saved (a save can require that it has not moved). TTL.thread */
    threadVersion: (teamId: string, channel: string, threadTs: string) =>
      `${prefix}:thread-v:${teamId}:${channel}:${threadTs}`,
    /** The last message of a thread the agent has answered (its context starts after it). */
    threadCursor: (teamId: string, channel: string, threadTs: string) =>
      `${prefix}:cursor:${teamId}:${channel}:${threadTs}`,
    /** Marks that a user has been greeted in the Messages tab. TTL.greeted */
    greeted: (teamId: string, userId: string) => `${prefix}:greeted:${teamId}:${userId}`,
    /** Slack user → Composio user id. TTL.composioUser */
    composioUser: (teamId: string, userId: string) => `${prefix}:user:${teamId}:${userId}`,
    /** Composio user id → Tool Router session id. TTL.session */
    session: (composioUserId: string) => `${prefix}:session:${composioUserId}`,
    /** A turn in progress or paused for approval (its checkpointed state). TTL.turn */
    turn: (turnId: string) => `${prefix}:turn:${turnId}`,
    /** A slash command's turn handed over to its new thread: the request queued there. TTL.turn */
    handOver: (turnId: string) => `${prefix}:handover:${turnId}`,
    /** When a turn first began posting its announcement (epoch seconds). TTL.turn */
    announcing: (turnId: string) => `${prefix}:announcing:${turnId}`,
    /** Uses of one response_url so far (by its digest, not the URL). TTL.responseUrl */
    responseUrl: (digest: string) => `${prefix}:respurl:${digest}`,
    /** Marks a turn that has answered, so that running its job again does nothing. TTL.turnDone */
    turnDone: (turnId: string) => `${prefix}:done:${turnId}`,
    /** A queued job's ticket in its thread's line. TTL.line */
    ticket: (jobId: string) => `${prefix}:ticket:${jobId}`,
    /** A thread's line of turns: last ticket given, tickets → job ids, ticket now running. TTL.line */
    lineSeq: (thread: string) => `${prefix}:line:${thread}:seq`,
    lineSlots: (thread: string) => `${prefix}:line:${thread}:slots`,
    lineHead: (thread: string) => `${prefix}:line:${thread}:head`,
    /** Prefix of the BullMQ queue's own keys. */
    bull: () => `${prefix}:bull`,
    /** Cluster-wide counters (turns recovered from a dead worker, …). TTL.counter */
    counter: (name: string) => `${prefix}:counter:${name}`,
    /** Slack event ids claimed or handled (retries and re-deliveries). TTL.eventClaim, TTL.event */
    event: (eventId: string) => `${prefix}:event:${eventId}`,
    /** A page's link preview as one Composio user may see it. TTL.linkPreview */
    linkPreview: (composioUserId: string, host: string, pageId: string) =>
      `${prefix}:preview:${composioUserId}:${host}:${pageId}`,
    /** A channel's subscription to a space (JSON). TTL.subscription */
    subscription: (subscriptionId: string) => `${prefix}:sub:${subscriptionId}`,
    /** A subscription's poll state: high-water mark, pause, failures (JSON). TTL.subscription */
    subscriptionState: (subscriptionId: string) => `${prefix}:substate:${subscriptionId}`,
    /** Set of the subscription ids of one channel. TTL.subscription */
    channelSubscriptions: (teamId: string, channel: string) =>
      `${prefix}:subs:channel:${teamId}:${channel}`,
    /** Set of the subscription ids one person owns. TTL.subscription */
    ownedSubscriptions: (teamId: string, userId: string) =>
      `${prefix}:subs:owner:${teamId}:${userId}`,
    /** A change (site:content id:version) claimed or posted in a channel: the seen-set. TTL.delivered */
    delivered: (teamId: string, channel: string, change: string) =>
      `${prefix}:delivered:${teamId}:${channel}:${change}`,
    /** One poll at a time posts in a channel (overlapping subscriptions). TTL.channelLock */
    channelLock: (teamId: string, channel: string) => `${prefix}:chanlock:${teamId}:${channel}`,
    /** The lock of a subscription's poll under way. TTL.subscriptionPoll */
    subscriptionPoll: (subscriptionId: string) => `${prefix}:subpoll:${subscriptionId}`,
    /** A subscription notice said once (per pause or outage). TTL.subscriptionNotice */
    subscriptionNotice: (subscriptionId: string, what: string) =>
      `${prefix}:subnotice:${subscriptionId}:${what}`,
    /** One day's (UTC, YYYY-MM-DD) tokens of one kind, scored per Composio user. TTL.usage */
    usage: (day: string, kind: string) => `${prefix}:usage:${day}:${kind}`,
  };
}

/** The key builder's type. */
export type Keys = ReturnType<typeof createKeys>;

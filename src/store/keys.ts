/** Builds every Redis key the app uses, so the layout is visible in one place. */
export function createKeys(prefix = 'cas') {
  return {
    /** Conversation history of one Slack thread; the team is part of the key. */
    thread: (teamId: string, channel: string, threadTs: string) =>
      `${prefix}:thread:${teamId}:${channel}:${threadTs}`,
    /** The last message of a thread the agent has answered (its context starts after it). */
    threadCursor: (teamId: string, channel: string, threadTs: string) =>
      `${prefix}:cursor:${teamId}:${channel}:${threadTs}`,
    /** Marks that a user has been greeted in the Messages tab. */
    greeted: (teamId: string, userId: string) => `${prefix}:greeted:${teamId}:${userId}`,
    /** Slack user → Composio user id. */
    composioUser: (teamId: string, userId: string) => `${prefix}:user:${teamId}:${userId}`,
    /** Composio user id → Tool Router session id. */
    session: (composioUserId: string) => `${prefix}:session:${composioUserId}`,
    /** A turn in progress or paused for approval (its checkpointed state). */
    turn: (turnId: string) => `${prefix}:turn:${turnId}`,
    /** Marks a turn that has answered, so that running its job again does nothing. */
    turnDone: (turnId: string) => `${prefix}:done:${turnId}`,
    /** A queued job's ticket in its thread's line. */
    ticket: (jobId: string) => `${prefix}:ticket:${jobId}`,
    /** A thread's line of turns: last ticket given, tickets → job ids, ticket now running. */
    lineSeq: (thread: string) => `${prefix}:line:${thread}:seq`,
    lineSlots: (thread: string) => `${prefix}:line:${thread}:slots`,
    lineHead: (thread: string) => `${prefix}:line:${thread}:head`,
    /** Prefix of the BullMQ queue's own keys. */
    bull: () => `${prefix}:bull`,
    /** Cluster-wide counters (turns recovered from a dead worker, …). */
    counter: (name: string) => `${prefix}:counter:${name}`,
    /** Slack event ids already accepted (retries and re-deliveries). */
    event: (eventId: string) => `${prefix}:event:${eventId}`,
  };
}

/** The key builder's type. */
export type Keys = ReturnType<typeof createKeys>;

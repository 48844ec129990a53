import type { Redis } from 'ioredis';
import { TTL } from '../../store/keys.js';

// Gives a job its ticket in its thread's line, once: the same job id always gets the same number.
// Returns the ticket and the head (the ticket now allowed to run). A ticket is never below the
// head: if the counter was lost (expired before the head, or a Redis restarted empty while a
// turn finished) a lower ticket would pass for one already done.
const TICKET = `
local head = tonumber(redis.call('GET', KEYS[4]) or '1')
local existing = redis.call('GET', KEYS[1])
if existing then return {tonumber(existing), head} end
local n = redis.call('INCR', KEYS[2])
if n < head then
  n = head
  redis.call('SET', KEYS[2], n)
end
redis.call('SET', KEYS[1], n, 'EX', ARGV[2])
redis.call('HSET', KEYS[3], n, ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[2])
if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('EXPIRE', KEYS[4], ARGV[2]) end
return {n, head}`;

// Lets the next ticket go, only if seq is the one at the head; returns the next job's id.
// A line that is gone altogether (expired, or lost with Redis's data) is not recreated.
const ADVANCE = `
if redis.call('EXISTS', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[3]) == 0 then return false end
local head = tonumber(redis.call('GET', KEYS[1]) or '1')
if head ~= tonumber(ARGV[1]) then return false end
redis.call('SET', KEYS[1], head + 1, 'EX', ARGV[2])
redis.call('HDEL', KEYS[2], head)
redis.call('EXPIRE', KEYS[3], ARGV[2])
return redis.call('HGET', KEYS[2], head + 1)`;

type Script = (...args: Array<string | number>) => Promise<unknown>;
type GateRedis = Redis & { threadGateTicket: Script; threadGateAdvance: Script };

/** Keys of one thread's line. */
export interface GateKeys {
  ticket(jobId: string): string;
  seq(thread: string): string;
  slots(thread: string): string;
  head(thread: string): string;
}

/**
 * A first-in, first-out line per Slack thread, shared by every instance: a turn runs only when
 * its ticket is at the head, so the turns of one thread run one at a time and in order.
 */
export class ThreadGate {
  private readonly redis: GateRedis;

  constructor(
    redis: Redis,
    private readonly keys: GateKeys,
  ) {
    // Defined once per connection: ioredis sends EVALSHA (and the body only if Redis lacks it).
    redis.defineCommand('threadGateTicket', { numberOfKeys: 4, lua: TICKET });
    redis.defineCommand('threadGateAdvance', { numberOfKeys: 3, lua: ADVANCE });
    this.redis = redis as GateRedis;
  }

  /**
   * The job's ticket in its thread's line (taken once per job id: the producer and the worker
   * both ask, whichever comes first takes it) and the ticket now allowed to run.
   */
  async place(thread: string, jobId: string): Promise<{ seq: number; head: number }> {
    const k = this.keys;
    const [seq, head] = (await this.redis.threadGateTicket(
      k.ticket(jobId),
      k.seq(thread),
      k.slots(thread),
      k.head(thread),
      jobId,
      TTL.line,
    )) as [number, number];
    return { seq: Number(seq), head: Number(head) };
  }

  /** The job holding a ticket, if it is still in line. */
  async jobAt(thread: string, seq: number): Promise<string | null> {
    return this.redis.hget(this.keys.slots(thread), String(seq));
  }

  /** Moves the line on after ticket `seq`; resolves with the next job's id, if any is waiting. */
  async advance(thread: string, seq: number): Promise<string | null> {
    const k = this.keys;
    const next = await this.redis.threadGateAdvance(
      k.head(thread),
      k.slots(thread),
      k.seq(thread),
      seq,
      TTL.line,
    );
    return typeof next === 'string' ? next : null;
  }
}

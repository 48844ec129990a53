import type { SlackStore } from './store.js';
import type { Args, FakeIdentity } from './types.js';

/** What every Web API method handler can see. */
export interface ApiContext {
  store: SlackStore;
  identity: FakeIdentity;
  origin: string;
  maxTextLength: number;
  /** Overrides the URL apps.connections.open returns (a test's own WebSocket server). */
  socketModeUrl?: string;
}

/** A Web API method: parsed arguments in, JSON body out ({ok:true,…} or {ok:false,error}). */
export type ApiHandler = (args: Args, ctx: ApiContext) => Args;

/** A successful Web API body. */
export function ok(extra: Args = {}): Args {
  return { ok: true, ...extra };
}

/** A failed Web API body, as Slack sends it (HTTP 200). */
export function fail(error: string, extra: Args = {}): Args {
  return { ok: false, error, ...extra };
}

/** The argument as a non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Slack's error code for bad message content (text/blocks/markdown_text), or undefined if fine. */
export function contentError(
  args: Args,
  ctx: ApiContext,
  requireContent = true,
): string | undefined {
  const text = args.text;
  const markdown = args.markdown_text;
  const blocks = args.blocks;
  const hasBlocks = blocks !== undefined && !(Array.isArray(blocks) && blocks.length === 0);
  const hasContent =
    str(text) !== undefined ||
    str(markdown) !== undefined ||
    hasBlocks ||
    (Array.isArray(args.attachments) && args.attachments.length > 0);
  if (requireContent && !hasContent) return 'no_text';
  if (str(markdown) !== undefined && (str(text) !== undefined || hasBlocks)) {
    return 'markdown_text_conflict';
  }
  if (typeof text === 'string' && text.length > ctx.maxTextLength) return 'msg_too_long';
  if (typeof markdown === 'string' && markdown.length > 12_000) return 'msg_too_long';
  if (hasBlocks) return blocksError(args.blocks);
  return undefined;
}

/**
 * Blocks per surface: "up to 50 blocks in each message, and 100 blocks in modals or Home tabs"
 * (https://docs.slack.dev/reference/block-kit/blocks).
 */
export const MESSAGE_MAX_BLOCKS = 50;
export const VIEW_MAX_BLOCKS = 100;

/** Slack's error code for a `blocks` value, or undefined if it looks like valid Block Kit. */
export function blocksError(blocks: unknown, maxBlocks = MESSAGE_MAX_BLOCKS): string | undefined {
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > maxBlocks) return 'invalid_blocks';
  for (const block of blocks) {
    if (typeof block !== 'object' || block === null) return 'invalid_blocks_format';
    const b = block as Args;
    if (typeof b.type !== 'string' || b.type === '') return 'invalid_blocks';
    if (b.type === 'section' && b.text === undefined && b.fields === undefined) {
      return 'invalid_blocks';
    }
    if (b.type === 'section' && textLength(b.text) > 3000) return 'invalid_blocks';
    if (b.type === 'header' && textLength(b.text) > 150) return 'invalid_blocks';
    // A context block holds 1 to 10 elements (@slack/types ContextBlock: "Maximum number of
    // items is 10"), each text object at most 3,000 characters like any mrkdwn text.
    if (b.type === 'context') {
      const elements = Array.isArray(b.elements) ? (b.elements as unknown[]) : [];
      if (elements.length < 1 || elements.length > 10) return 'invalid_blocks';
      if (elements.some((e) => textLength(e) > 3000)) return 'invalid_blocks';
    }
    if (b.type === 'markdown' && (typeof b.text !== 'string' || b.text.length > 12_000)) {
      return 'invalid_blocks';
    }
  }
  return undefined;
}

function textLength(text: unknown): number {
  if (typeof text === 'string') return text.length;
  if (typeof text === 'object' && text !== null && typeof (text as Args).text === 'string') {
    return (text as Args).text.length;
  }
  return 0;
}

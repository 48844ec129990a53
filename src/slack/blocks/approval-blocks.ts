import type { KnownBlock } from '@slack/web-api';
import type { PendingApproval } from '../../agent/agent-config.js';
import type { TurnRequest } from '../../turns/turn-request.js';
import { SECTION_TEXT_MAX } from '../text/split-message.js';

/** Action ids of the approval buttons. */
export const APPROVE_ACTION = 'approval_approve';
export const DENY_ACTION = 'approval_deny';

/** At most this many sections list operations (Slack allows 50 blocks in a message). */
export const MAX_LIST_SECTIONS = 10;
// Tool slugs are a few words (CONFLUENCE_DELETE_PAGE); a longer name is cut, not its target.
const SLUG_MAX = 100;
// Enough to show which page or space a call targets; the whole input would drown the question.
const ARGS_MAX = 300;
/** Longest line an operation takes (arguments cut to ARGS_MAX already): several fit a section. */
const LINE_MAX = 500;
/** Room kept in the last section for the "more not shown" note. */
const MORE_NOTE_ROOM = 40;

/** The operations inside one pending call, as readable lines with their targets. */
export function describeApproval(approval: PendingApproval): string[] {
  const input = approval.input as { tools?: unknown };
  // An item whose shape is not the known one is shown whole, so the requester sees what it is.
  const items = Array.isArray(input?.tools)
    ? input.tools.map((t: { tool_slug?: unknown; arguments?: unknown } | null) =>
        typeof t?.tool_slug === 'string' && t.tool_slug.trim()
          ? { slug: t.tool_slug, args: t.arguments }
          : { slug: 'unrecognised item', args: t },
      )
    : [{ slug: approval.toolName, args: approval.input }];
  if (!items.length) items.push({ slug: approval.toolName, args: approval.input });
  return items.map(({ slug, args }) => {
    const target = JSON.stringify(args ?? {});
    const name = String(slug);
    return `• \`${clip(name, SLUG_MAX)}\` on \`${clip(target, ARGS_MAX)}\``;
  });
}

/** The text cut to `max` characters, ending with "…" when cut. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Section blocks showing `head`, the lines, then `tail`, each section's text within Slack's 3,000
 * characters. Lines beyond `maxSections` sections are left out, and a note says how many.
 */
export function sectionBlocks(
  head: string,
  lines: string[],
  tail = '',
  maxSections = MAX_LIST_SECTIONS,
): KnownBlock[] {
  const texts: string[] = [];
  const reserve = tail.length + MORE_NOTE_ROOM + 2;
  let current = clip(head, SECTION_TEXT_MAX - reserve);
  let shown = 0;
  for (const full of lines) {
    const line = clip(full, LINE_MAX);
    const last = texts.length >= maxSections - 1;
    const room = SECTION_TEXT_MAX - (last ? reserve : 0);
    if (current.length + 1 + line.length <= room) {
      current += `\n${line}`;
    } else if (last) {
      break;
    } else {
      texts.push(current);
      current = line;
    }
    shown += 1;
  }
  const hidden = lines.length - shown;
  const end = [hidden ? `…and ${hidden} more not shown.` : '', tail].filter(Boolean).join('\n');
  if (end && current.length + 1 + end.length <= SECTION_TEXT_MAX) current += `\n${end}`;
  else if (end) {
    texts.push(current);
    current = end;
  }
  texts.push(current);
  return texts.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

/** Blocks asking the requester to approve or deny destructive calls. */
export function approvalBlocks(request: TurnRequest, approvals: PendingApproval[]): KnownBlock[] {
  return [
    ...sectionBlocks(
      `<@${request.userId}>, this would make a change that cannot be undone:`,
      approvals.flatMap(describeApproval),
      `Only <@${request.userId}> can approve it.`,
    ),
    {
      type: 'actions',
      block_id: 'approval',
      elements: [
        {
          type: 'button',
          action_id: APPROVE_ACTION,
          text: { type: 'plain_text', text: 'Approve' },
          style: 'primary',
          value: request.id,
        },
        {
          type: 'button',
          action_id: DENY_ACTION,
          text: { type: 'plain_text', text: 'Deny' },
          style: 'danger',
          value: request.id,
        },
      ],
    },
  ];
}

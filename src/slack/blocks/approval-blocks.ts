import type { KnownBlock, ModalView } from '@slack/web-api';
import { clip, type DescribedOperation } from '../../confluence/operations.js';
import type { TurnRequest } from '../../turns/turn-request.js';
import {
  exactText,
  failedLookups,
  operationCounts,
  operationText,
  slackDate,
} from '../text/operation-text.js';
import { SECTION_TEXT_MAX } from '../text/split-message.js';

/** Action ids of the approval buttons. */
export const APPROVE_ACTION = 'approval_approve';
export const DENY_ACTION = 'approval_deny';
/** The button that opens the full list of a long batch. */
export const DETAILS_ACTION = 'approval_details';

/** At most this many operations are named one by one in the prompt; more show counts per kind. */
export const INLINE_MAX = 5;
/** Slack's block limits: https://docs.slack.dev/reference/block-kit/blocks */
export const MESSAGE_MAX_BLOCKS = 50;
export const MODAL_MAX_BLOCKS = 100;
/** A context block holds at most 10 elements (@slack/types ContextBlock). */
const CONTEXT_MAX_ELEMENTS = 10;
/** Longest line an operation takes in a section: several fit in one. */
const LINE_MAX = 900;
/** Room kept in the last section for the "more not shown" note. */
const MORE_NOTE_ROOM = 40;

/**
 * Section blocks showing `head`, the lines, then `tail`, each section's text within Slack's 3,000
 * characters. Lines beyond `maxSections` sections are left out, and a note says how many.
 */
export function sectionBlocks(
  head: string,
  lines: string[],
  tail = '',
  maxSections = 10,
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

/** The prompt's body: each operation in words with its exact form, or for a long batch, counts. */
function bodyBlocks(head: string, operations: readonly DescribedOperation[]): KnownBlock[] {
  if (operations.length <= INLINE_MAX) {
    return [
      ...sectionBlocks(
        head,
        operations.map((op) => `• ${operationText(op)}`),
        '',
        // Five lines of at most LINE_MAX characters fit in two sections.
        2,
      ),
      ...(operations.length
        ? [
            {
              type: 'context' as const,
              elements: operations.slice(0, CONTEXT_MAX_ELEMENTS).map((op) => ({
                type: 'mrkdwn' as const,
                text: clip(exactText(op), SECTION_TEXT_MAX),
              })),
            },
          ]
        : []),
    ];
  }
  const failed = failedLookups(operations);
  const note = failed
    ? `\n_${failed} of them could not be looked up: the full list shows their ids._`
    : '';
  return sectionBlocks(
    `${head}${note}`,
    operationCounts(operations).map((c) => `• ${c}`),
    '',
    3,
  );
}

/**
 * The message asking the requester to approve or deny: every operation named in words (a long
 * batch: a count per kind, and the full list behind a button), and the exact operations.
 */
export function approvalBlocks(
  request: TurnRequest,
  operations: readonly DescribedOperation[],
): KnownBlock[] {
  const many = operations.length > INLINE_MAX;
  const head = `<@${request.userId}>, this would make ${many || operations.length > 1 ? `${operations.length} changes that cannot` : 'a change that cannot'} be undone:`;
  const button = (action_id: string, text: string, style?: 'primary' | 'danger') => ({
    type: 'button' as const,
    action_id,
    text: { type: 'plain_text' as const, text },
    ...(style ? { style } : {}),
    value: request.id,
  });
  return [
    ...bodyBlocks(head, operations),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: many
            ? `Only <@${request.userId}> can approve it. *See all ${operations.length}* lists every change with its exact operation.`
            : `Only <@${request.userId}> can approve it.`,
        },
      ],
    },
    {
      type: 'actions',
      block_id: 'approval',
      elements: [
        button(APPROVE_ACTION, 'Approve', 'primary'),
        button(DENY_ACTION, 'Deny', 'danger'),
        ...(many ? [button(DETAILS_ACTION, `See all ${operations.length}`)] : []),
      ],
    },
  ];
}

/** A decision on the prompt: who clicked which button, and when. */
export interface Verdict {
  decision: 'approved' | 'denied';
  userId: string;
  at: Date;
}

/** The notification text of a decided prompt. */
export function verdictText(verdict: Verdict): string {
  return verdict.decision === 'approved'
    ? `:white_check_mark: Approved by <@${verdict.userId}>`
    : `:no_entry_sign: Denied by <@${verdict.userId}>`;
}

/** The prompt once decided: who decided and when (in each reader's time zone), no buttons. */
export function decidedBlocks(
  verdict: Verdict,
  operations: readonly DescribedOperation[],
): KnownBlock[] {
  const when = slackDate(verdict.at, '{date_short_pretty} at {time}');
  return bodyBlocks(`${verdictText(verdict)} ${when}:`, operations);
}

/** The modal listing every operation of a long batch, in words and in its exact form. */
export function approvalDetailsView(operations: readonly DescribedOperation[]): ModalView {
  const lines = operations.map((op, i) => `${i + 1}. ${operationText(op)}\n      ${exactText(op)}`);
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Changes to approve' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: sectionBlocks(
      `*${operations.length} changes, in the order they would run:*`,
      lines,
      '',
      MODAL_MAX_BLOCKS,
    ),
  };
}

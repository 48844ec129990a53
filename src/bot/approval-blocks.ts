import type { KnownBlock } from '@slack/web-api';
import type { PendingApproval } from '../agent/run-agent.js';
import type { TurnRequest } from '../turns/turn-request.js';

/** Action ids of the approval buttons. */
export const APPROVE_ACTION = 'approval_approve';
export const DENY_ACTION = 'approval_deny';

/** The operations inside one pending call, as readable lines with their targets. */
export function describeApproval(approval: PendingApproval): string[] {
  const input = approval.input as { tools?: Array<{ tool_slug?: string; arguments?: unknown }> };
  const items = Array.isArray(input?.tools)
    ? input.tools.map((t) => ({ slug: t.tool_slug ?? 'UNKNOWN', args: t.arguments }))
    : [{ slug: approval.toolName, args: approval.input }];
  return items.map(({ slug, args }) => {
    const target = JSON.stringify(args ?? {});
    return `• \`${slug}\` on \`${target.length > 300 ? `${target.slice(0, 297)}…` : target}\``;
  });
}

/** Blocks asking the requester to approve or deny destructive calls. */
export function approvalBlocks(request: TurnRequest, approvals: PendingApproval[]): KnownBlock[] {
  const lines = approvals.flatMap(describeApproval);
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `<@${request.userId}>, this would make a change that cannot be undone:\n${lines.join('\n')}\nOnly <@${request.userId}> can approve it.`,
      },
    },
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

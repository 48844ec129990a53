import type { View } from '@slack/web-api';
import type { SpaceOption } from '../../confluence/spaces.js';
import { connectBlocks } from './connect-blocks.js';

/** callback_id of the shortcut and of its modal. */
export const SUMMARISE_SHORTCUT = 'summarise_thread_to_confluence';
export const SUMMARISE_VIEW = 'summarise_thread_submit';

/** Where the summary comes from; carried in the modal's private_metadata. */
export interface SummariseTarget {
  teamId: string;
  channel: string;
  threadTs: string;
}

const title = { type: 'plain_text' as const, text: 'Summarise to Confluence' };
// Confluence's own limit on a page title; space keys and parent titles are held to it too.
const NAME_MAX_CHARS = 255;
// A couple of paragraphs steer a summary; they travel in the request, so they stay short.
const INSTRUCTIONS_MAX_CHARS = 2000;

/** The modal shown at once (within the trigger's 3 s) while spaces and the connection load. */
export function loadingModal(target: SummariseTarget): View {
  return {
    type: 'modal',
    callback_id: SUMMARISE_VIEW,
    title,
    private_metadata: JSON.stringify(target),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':hourglass_flowing_sand: Checking your Confluence connection…',
        },
      },
    ],
  };
}

/** The modal for a user who has not connected Confluence yet. */
export function connectModal(target: SummariseTarget, toolkit: string, url: string): View {
  return {
    type: 'modal',
    callback_id: SUMMARISE_VIEW,
    title,
    close: { type: 'plain_text', text: 'Close' },
    private_metadata: JSON.stringify(target),
    blocks: connectBlocks(toolkit, url).blocks,
  };
}

/** The form: space (picker or key), title, optional parent page and instructions. */
export function summariseModal(
  target: SummariseTarget,
  spaces: SpaceOption[],
  defaultTitle: string,
): View {
  const options = spaces.slice(0, 100).map((s) => ({
    text: { type: 'plain_text' as const, text: `${s.name} (${s.key})`.slice(0, 75) },
    value: s.key,
  }));
  return {
    type: 'modal',
    callback_id: SUMMARISE_VIEW,
    title,
    submit: { type: 'plain_text', text: 'Create page' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(target),
    blocks: [
      ...(options.length
        ? [
            {
              type: 'input' as const,
              block_id: 'space',
              optional: true,
              label: { type: 'plain_text' as const, text: 'Space' },
              element: {
                type: 'static_select' as const,
                action_id: 'value',
                placeholder: { type: 'plain_text' as const, text: 'Choose a space' },
                options,
              },
            },
          ]
        : []),
      {
        type: 'input',
        block_id: 'space_key',
        optional: options.length > 0,
        label: { type: 'plain_text', text: options.length ? '…or a space key' : 'Space key' },
        hint: { type: 'plain_text', text: 'For example MKT. Used when no space is chosen above.' },
        element: { type: 'plain_text_input', action_id: 'value', max_length: NAME_MAX_CHARS },
      },
      {
        type: 'input',
        block_id: 'title',
        label: { type: 'plain_text', text: 'Page title' },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          initial_value: defaultTitle.slice(0, NAME_MAX_CHARS),
          max_length: NAME_MAX_CHARS,
        },
      },
      {
        type: 'input',
        block_id: 'parent',
        optional: true,
        label: { type: 'plain_text', text: 'Parent page (optional)' },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          max_length: NAME_MAX_CHARS,
          placeholder: { type: 'plain_text', text: 'Title or id of the parent page' },
        },
      },
      {
        type: 'input',
        block_id: 'instructions',
        optional: true,
        label: { type: 'plain_text', text: 'Instructions (optional)' },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: INSTRUCTIONS_MAX_CHARS,
          placeholder: { type: 'plain_text', text: 'e.g. focus on decisions and owners' },
        },
      },
    ],
  };
}

import { describe, expect, it } from 'vitest';
import {
  extractConnectionRequests,
  LINK_PLACEHOLDER,
  stripConnectLinks,
} from '../../src/agent/connection-links.js';
import type { ToolOutcome } from '../../src/agent/types.js';

const LINK = 'https://connect.composio.dev/link/lk_abc123';
const outcome = (value: unknown, isError = false): ToolOutcome => ({
  content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }],
  isError,
});
const seen = (o: ToolOutcome) => JSON.stringify(o.content);
const extract = (o: ToolOutcome) => extractConnectionRequests(o, ['confluence']);

describe('extractConnectionRequests', () => {
  it('takes the link out of a COMPOSIO_MANAGE_CONNECTIONS result and reports it', () => {
    const result = outcome({
      data: {
        results: {
          confluence: {
            toolkit: 'confluence',
            status: 'initiated',
            redirect_url: LINK,
            instruction: `Ask the user to open this link to connect Confluence: ${LINK}`,
          },
        },
      },
      error: null,
      successful: true,
    });
    const { outcome: shown, requests } = extract(result);
    expect(requests).toEqual([{ toolkit: 'confluence', redirectUrl: LINK }]);
    expect(seen(shown)).not.toContain('lk_abc123');
    expect(seen(shown)).toContain(LINK_PLACEHOLDER);
    // Everything else the model needs is still there.
    expect(seen(shown)).toContain('initiated');
    expect(shown.isError).toBe(false);
  });

  it('reports a missing connection named in a failed call, without a link', () => {
    const failed = outcome({
      data: {},
      error: "No active connection found for toolkit 'confluence' for user 'slack-T-U'.",
      successful: false,
    });
    expect(extract(failed).requests).toEqual([{ toolkit: 'confluence' }]);
  });

  it('reads a failed item inside a multi-execute result', () => {
    const result = outcome({
      data: {
        results: [
          {
            index: 0,
            tool_slug: 'CONFLUENCE_GET_SPACES',
            response: { data: {}, error: 'No connected account for confluence', successful: false },
            error: 'No connected account for confluence',
            success: false,
          },
        ],
      },
      error: '1 out of 1 tools failed',
      successful: false,
    });
    expect(extract(result).requests).toEqual([{ toolkit: 'confluence' }]);
  });

  it('does not mistake a page that says "not connected" for a connection request', () => {
    const page = {
      data: {
        id: '65540',
        title: 'VPN troubleshooting',
        body: { storage: { value: '<p>If the VPN shows not connected, restart it.</p>' } },
      },
      error: null,
      successful: true,
    };
    const { outcome: shown, requests } = extract(outcome(page));
    expect(requests).toEqual([]);
    expect(shown).toEqual(outcome(page));
  });

  it('ignores "not connected" in one page even when another item of the batch failed', () => {
    const result = outcome({
      data: {
        results: [
          { tool_slug: 'CONFLUENCE_GET_PAGE_BY_ID', response: { data: { body: 'not connected' } } },
          { tool_slug: 'CONFLUENCE_GET_PAGE_BY_ID', error: '404 Not Found: no such page' },
        ],
      },
      error: '1 out of 2 tools failed',
      successful: false,
    });
    expect(extract(result).requests).toEqual([]);
  });

  it('reads a plain-text error only when the call failed', () => {
    expect(extract(outcome('Account not connected: confluence', true)).requests).toEqual([
      { toolkit: 'confluence' },
    ]);
    expect(extract(outcome('Your VPN is not connected.', false)).requests).toEqual([]);
  });

  it('removes a bare connect link from any text the model would see', () => {
    const { outcome: shown } = extract(outcome(`Open ${LINK} to continue`, false));
    expect(seen(shown)).not.toContain('composio.dev/link');
  });
});

describe('stripConnectLinks', () => {
  it('removes connect links from text meant for a shared thread', () => {
    const text = stripConnectLinks(`Please connect here: ${LINK}. Thanks!`);
    expect(text).not.toContain('composio.dev');
    expect(text).toContain('(link sent to you privately)');
    expect(stripConnectLinks('See https://example.atlassian.net/wiki/x')).toBe(
      'See https://example.atlassian.net/wiki/x',
    );
  });
});

/**
 * The model's tool calls, one builder per call shape, as the tests script them: Composio Tool
 * Router meta tools, and Confluence tools run through COMPOSIO_MULTI_EXECUTE_TOOL.
 */
import { toolUse } from './fake-anthropic/index.js';
import type { FakeComposio } from './fake-composio/index.js';

/** A page body in Confluence's storage format. */
export const storageBody = (html: string) => ({
  storage: { representation: 'storage', value: html },
});

/** COMPOSIO_MULTI_EXECUTE_TOOL running Confluence tools in one batch: [slug, arguments] each. */
export const runTools = (calls: Array<[slug: string, args: unknown]>) =>
  toolUse('COMPOSIO_MULTI_EXECUTE_TOOL', {
    tools: calls.map(([slug, args]) => ({ tool_slug: slug, arguments: args })),
  });

/** COMPOSIO_MULTI_EXECUTE_TOOL running one Confluence tool with `args`. */
export const runTool = (slug: string, args: unknown) => runTools([[slug, args]]);

/** CONFLUENCE_GET_SPACES through the Tool Router. */
export const getSpacesCall = () => runTool('CONFLUENCE_GET_SPACES', {});

/** CONFLUENCE_CREATE_PAGE titled `title` in space `spaceId` (MKT unless told), body `html`. */
export const createPageCall = (title: string, options: { spaceId?: string; html?: string } = {}) =>
  runTool('CONFLUENCE_CREATE_PAGE', {
    spaceId: options.spaceId ?? 'MKT',
    title,
    body: storageBody(options.html ?? `<p>${title}</p>`),
  });

/** CONFLUENCE_DELETE_PAGE of page `id` (destructive: waits for the requester's Approve). */
export const deletePageCall = (id: string) => runTool('CONFLUENCE_DELETE_PAGE', { id });

/** COMPOSIO_SEARCH_TOOLS for one use case. */
export const searchToolsCall = (useCase: string) =>
  toolUse('COMPOSIO_SEARCH_TOOLS', { queries: [{ use_case: useCase }] });

/** COMPOSIO_MANAGE_CONNECTIONS for Confluence (the connect link goes to the requester). */
export const manageConnectionsCall = () =>
  toolUse('COMPOSIO_MANAGE_CONNECTIONS', { toolkits: ['confluence'] });

/** Puts a page titled `title` in space MKT of `composioUser`'s fake site; returns its id. */
export function seedPage(composio: FakeComposio, composioUser: string, title: string): string {
  const created = composio.confluence.execute(composioUser, 'CONFLUENCE_CREATE_PAGE', {
    spaceId: 'MKT',
    title,
    body: storageBody('<p>old</p>'),
  });
  return String(created.data.id);
}

// Checked in this order: the thing acted on comes before what it belongs to
// (CONFLUENCE_GET_LABELS_FOR_PAGE is about labels, ..._PROPERTY_FOR_BLOGPOST about a property).
const OBJECTS: Array<[RegExp, string, string]> = [
  [/^PROPERT(Y|IES)$/, 'content property', 'content properties'],
  [/^LABELS?$/, 'label', 'labels'],
  [/^COMMENTS?$/, 'comment', 'comments'],
  [/^ATTACHMENTS?$/, 'attachment', 'attachments'],
  [/^VERSIONS?$/, 'version', 'versions'],
  [/^(BLOGPOSTS?|BLOG)$/, 'blog post', 'blog posts'],
  [/^(PAGES?|CHILDREN|DESCENDANTS)$/, 'page', 'pages'],
  [/^SPACES?$/, 'space', 'spaces'],
  [/^CONTENTS?$/, 'page', 'pages'],
];
const VERBS: Array<[RegExp, string]> = [
  [/^(DELETE|REMOVE)$/, 'Deleting'],
  [/^(UPDATE|EDIT|SET|PUT|MOVE)$/, 'Updating'],
  [/^ADD$/, 'Adding'],
  [/^(CREATE|PUBLISH|COPY)$/, 'Creating'],
];

/** The words shown in the thread while a tool runs, e.g. "Creating page…". */
export function statusText(slugsCsv: string): string {
  const slugs = slugsCsv.split(',').filter(Boolean);
  if (!slugs.length) return 'Thinking…';
  const slug = slugs[0]!.toUpperCase();
  if (slug === 'COMPOSIO_SEARCH_TOOLS' || slug === 'COMPOSIO_GET_TOOL_SCHEMAS')
    return 'Finding the right Confluence tools…';
  if (slug.startsWith('COMPOSIO_MANAGE_CONNECTIONS') || slug.startsWith('COMPOSIO_WAIT_FOR'))
    return 'Checking your Confluence connection…';
  // Whole words only: SET must not match GET_SPACE_SETTINGS.
  const words = slug.split(/[^A-Z0-9]+/);
  const verb = VERBS.find(([re]) => words.some((w) => re.test(w)))?.[1];
  const object = OBJECTS.find(([re]) => words.some((w) => re.test(w)));
  const more = slugs.length > 1 ? ` (+${slugs.length - 1} more)` : '';
  if (!verb) return `Searching Confluence${object ? ` ${object[2]}` : ''}…${more}`;
  return `${verb} ${object?.[1] ?? 'Confluence'}…${more}`;
}

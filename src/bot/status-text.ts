const OBJECTS: Array<[RegExp, string]> = [
  [/BLOGPOST|BLOG_POST/, 'blog post'],
  [/PROPERT/, 'content property'],
  [/LABEL/, 'label'],
  [/COMMENT/, 'comment'],
  [/SPACE/, 'space'],
  [/VERSION/, 'versions'],
  [/ATTACHMENT/, 'attachment'],
  [/PAGE|CONTENT/, 'page'],
];
const VERBS: Array<[RegExp, string]> = [
  [/DELETE|REMOVE/, 'Deleting'],
  [/UPDATE|EDIT|SET/, 'Updating'],
  [/ADD/, 'Adding'],
  [/CREATE|PUBLISH/, 'Creating'],
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
  const verb = VERBS.find(([re]) => re.test(slug))?.[1];
  const object = OBJECTS.find(([re]) => re.test(slug))?.[1] ?? 'Confluence';
  const more = slugs.length > 1 ? ` (+${slugs.length - 1} more)` : '';
  if (!verb)
    return `Searching Confluence${object === 'Confluence' ? '' : ` ${object}s`}…${more}`.replace(
      'versionss',
      'versions',
    );
  return `${verb} ${object}…${more}`;
}

/** Write Confluence tools of the emulator (spaces, pages, labels, blog posts, properties). */
import { z } from 'zod';
import { ConfluenceError } from './confluence-site.js';
import { defineTool, idSchema, spaceRefSchema, storageBodySchema } from './confluence-tool.js';

const descriptionSchema = z
  .union([z.string(), z.object({ value: z.string(), representation: z.string().optional() })])
  .optional()
  .describe('Plain-text space description.');
const textOf = (d: z.infer<typeof descriptionSchema>): string =>
  typeof d === 'string' ? d : (d?.value ?? '');
const spaceInput = z.object({
  key: z.string().describe('Space key, letters and digits only, e.g. "DOCS".'),
  name: z.string().describe('Space name.'),
  description: descriptionSchema,
});

/** The write tools. */
export const writeTools = [
  defineTool({
    slug: 'CONFLUENCE_CREATE_SPACE',
    description: 'Create a new Confluence space with a key and a name.',
    write: true,
    input: spaceInput,
    run: (site, a) => site.spaceJson(site.addSpace(a.key, a.name, textOf(a.description), false)),
  }),
  defineTool({
    slug: 'CONFLUENCE_CREATE_PRIVATE_SPACE',
    description: 'Create a private space that only the current user can see.',
    write: true,
    input: spaceInput,
    run: (site, a) => site.spaceJson(site.addSpace(a.key, a.name, textOf(a.description), true)),
  }),
  defineTool({
    slug: 'CONFLUENCE_DELETE_SPACE',
    description: 'Delete a space and all its content (by space key).',
    write: true,
    input: z.object({ spaceKey: z.string().describe('Key of the space to delete.') }),
    run: (site, a) => {
      const space = site.space(a.spaceKey);
      site.spaces.splice(site.spaces.indexOf(space), 1);
      for (const pool of [site.pages, site.blogposts]) {
        const kept = pool.filter((p) => p.spaceId !== space.id);
        pool.splice(0, pool.length, ...kept);
      }
      return { id: site.newId(), links: { status: `/rest/api/longtask/${space.id}` } };
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_CREATE_PAGE',
    description:
      'Create a page in a space. Titles must be unique within a space; the body is storage-format XHTML. Without parentId the page goes under the space homepage.',
    write: true,
    input: z.object({
      spaceId: spaceRefSchema,
      title: z.string().min(1).describe('Page title (unique within the space).'),
      body: z.object({ storage: storageBodySchema }).describe('Page body.'),
      parentId: idSchema.optional().describe('Id of the parent page.'),
      status: z.enum(['current', 'draft']).optional().describe('Publish state (default current).'),
    }),
    run: (site, a) => {
      const space = site.space(a.spaceId);
      const parent = a.parentId === undefined ? undefined : site.content(a.parentId);
      if (parent && parent.spaceId !== space.id) {
        throw new ConfluenceError(400, 'BAD_REQUEST', 'Parent page is in a different space');
      }
      site.assertUniqueTitle(space.id, a.title);
      const parentId = parent?.id ?? space.homepageId;
      const page = site.addContent(
        'page',
        space,
        a.title,
        a.body.storage.value,
        parentId,
        a.status,
      );
      return site.contentJson(page);
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_UPDATE_PAGE',
    description:
      'Update a page title and body. version.number must be the current version + 1 (fetch the page first).',
    write: true,
    input: z.object({
      id: idSchema,
      title: z.string().min(1).describe('Page title (unique within the space).'),
      body: z.union([storageBodySchema, z.object({ storage: storageBodySchema })]),
      version: z.object({
        number: z.number().int().describe('Current version number + 1.'),
        message: z.string().optional(),
      }),
      status: z.enum(['current']).optional(),
    }),
    run: (site, a) => {
      const page = site.content(a.id);
      if (a.version.number !== page.version + 1) {
        const title = `Version must be incremented on update. Current version is: ${page.version}`;
        throw new ConfluenceError(409, 'CONFLICT', title);
      }
      site.assertUniqueTitle(page.spaceId, a.title, page.id);
      page.title = a.title;
      page.body = 'storage' in a.body ? a.body.storage.value : a.body.value;
      page.version = a.version.number;
      page.updatedAt = new Date().toISOString();
      page.versionMessage = a.version.message ?? '';
      return site.contentJson(page);
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_DELETE_PAGE',
    description: 'Delete a page (its children move up to its parent).',
    write: true,
    input: z.object({ id: idSchema }),
    run: (site, a) => {
      const page = site.content(a.id);
      for (const child of site.pages)
        if (child.parentId === page.id) child.parentId = page.parentId;
      site.pages.splice(site.pages.indexOf(page), 1);
      return {};
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_ADD_CONTENT_LABEL',
    description: 'Add labels to a page or blog post.',
    write: true,
    input: z.object({
      id: idSchema.describe('Id of the page or blog post.'),
      labels: z
        .array(z.object({ name: z.string().min(1), prefix: z.string().optional() }))
        .min(1)
        .describe('Labels to add, e.g. [{ "name": "release", "prefix": "global" }].'),
    }),
    run: (site, a) => {
      const item = site.content(a.id, true);
      for (const { name } of a.labels) {
        if (/\s/.test(name))
          throw new ConfluenceError(400, 'BAD_REQUEST', 'Label cannot contain spaces');
        if (!item.labels.includes(name.toLowerCase())) item.labels.push(name.toLowerCase());
      }
      const results = item.labels.map((name) => ({
        id: `${item.id}-${name}`,
        name,
        prefix: 'global',
      }));
      return { results, start: 0, limit: 200, size: results.length };
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_CREATE_BLOGPOST',
    description: 'Create a blog post in a space (storage-format body).',
    write: true,
    input: z.object({
      spaceId: spaceRefSchema,
      title: z.string().min(1),
      body: storageBodySchema,
      status: z.enum(['current', 'draft']).optional(),
    }),
    run: (site, a) => {
      const space = site.space(a.spaceId);
      if (site.blogposts.some((b) => b.spaceId === space.id && b.title === a.title)) {
        throw new ConfluenceError(400, 'BAD_REQUEST', 'A blog post with this title already exists');
      }
      return site.contentJson(
        site.addContent('blogpost', space, a.title, a.body.value, null, a.status),
      );
    },
  }),
  defineTool({
    slug: 'CONFLUENCE_CREATE_PAGE_PROPERTY',
    description: 'Store a JSON content property (key/value) on a page.',
    write: true,
    input: z.object({ id: idSchema, key: z.string().min(1), value: z.unknown() }),
    run: (site, a) => {
      const page = site.content(a.id);
      if (page.properties.some((p) => p.key === a.key)) {
        throw new ConfluenceError(409, 'CONFLICT', `A property with key ${a.key} already exists`);
      }
      const property = { id: site.newId(), key: a.key, value: a.value, version: 1 };
      page.properties.push(property);
      return { ...property, version: { number: 1, createdAt: new Date().toISOString() } };
    },
  }),
];

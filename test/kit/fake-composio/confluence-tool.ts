/** Shape of one emulated Confluence tool (slug, zod input schema, handler) and shared schemas. */
import { z } from 'zod';
import type { ConfluenceSite } from './confluence-site.js';

/** An emulated Composio Confluence tool. */
export interface ConfluenceTool {
  slug: string;
  description: string;
  write: boolean;
  input: z.ZodObject;
  run(site: ConfluenceSite, args: Record<string, unknown>): Record<string, unknown>;
}

/** Declares a tool with handler arguments typed from its zod schema. */
export function defineTool<S extends z.ZodObject>(tool: {
  slug: string;
  description: string;
  write: boolean;
  input: S;
  run(site: ConfluenceSite, args: z.infer<S>): Record<string, unknown>;
}): ConfluenceTool {
  return tool as unknown as ConfluenceTool;
}

/** A Confluence id: numeric string or integer. */
export const idSchema = z
  .union([z.string(), z.number().int()])
  .describe('Numeric Confluence id (string or integer).');

/** A space reference: numeric space id or space key (keys are converted to ids). */
export const spaceRefSchema = z
  .union([z.string(), z.number().int()])
  .describe('Space id or space key, e.g. "MKT" or "98305". Keys are resolved to ids.');

/** `{ representation: 'storage', value }` body. */
export const storageBodySchema = z.object({
  representation: z.literal('storage').describe('Must be "storage".'),
  value: z.string().describe('Page content in Confluence storage format (XHTML).'),
});

/** Page-list paging options shared by list tools. */
export const limitSchema = z
  .number()
  .int()
  .min(1)
  .max(250)
  .optional()
  .describe('Maximum number of results (default 25).');

/** Strips HTML tags for text matching. */
export function plainText(storage: string): string {
  return storage
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** JSON Schema of a tool's input, as Composio shows it (no `$schema`). */
export function jsonSchemaOf(tool: ConfluenceTool): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return schema;
}

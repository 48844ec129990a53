/** Descriptions and zod input schemas of the Tool Router meta tools served over MCP. */
import { z } from 'zod';

/** A meta tool as listed by the session's MCP server. */
export interface MetaToolSpec {
  description: string;
  input: z.ZodObject;
}

const toolkitEntry = z.union([
  z.string(),
  z.object({ name: z.string(), action: z.enum(['add', 'remove', 'reinitiate']).optional() }),
]);

/** COMPOSIO_SEARCH_TOOLS input. */
export const searchInput = z.object({
  queries: z
    .array(
      z.object({
        use_case: z.string().describe('What the user wants done, in plain words.'),
        known_fields: z.string().optional().describe('Known values, e.g. "space_key: ENG".'),
      }),
    )
    .min(1)
    .describe('One entry per use case.'),
  session: z
    .object({ id: z.string().optional(), generate_id: z.boolean().optional() })
    .optional()
    .describe('Workflow session to continue or start.'),
});

/** COMPOSIO_GET_TOOL_SCHEMAS input. */
export const schemasInput = z.object({
  tool_slugs: z.array(z.string()).min(1).describe('Tool slugs.'),
});

/** COMPOSIO_MULTI_EXECUTE_TOOL input. */
export const multiExecuteInput = z.object({
  tools: z
    .array(
      z.object({
        tool_slug: z.string().describe('Slug of the tool to run.'),
        arguments: z.record(z.string(), z.unknown()).describe('Arguments for the tool.'),
      }),
    )
    .min(1)
    .max(50),
  thought: z.string().optional().describe('One sentence on why these tools run.'),
  sync_response_to_workbench: z.boolean().optional(),
  current_step: z.string().optional(),
});

/** COMPOSIO_MANAGE_CONNECTIONS input. */
export const manageInput = z.object({
  toolkits: z.array(toolkitEntry).min(1).describe('Toolkit slugs, e.g. ["confluence"].'),
  reinitiate_all: z.boolean().optional().describe('Start new connections even when active.'),
});

/** COMPOSIO_WAIT_FOR_CONNECTIONS input. */
export const waitInput = z.object({
  toolkits: z.array(z.string()).min(1),
  timeout_seconds: z.number().optional().describe('How long to wait (default 30).'),
});

/** The meta tools, keyed by slug. */
export const META_TOOLS: Record<string, MetaToolSpec> = {
  COMPOSIO_SEARCH_TOOLS: {
    description:
      'Find the tools for a task. Give one query per distinct use case; returns tool slugs, their input schemas and whether each toolkit has an active connection. Call this before executing tools.',
    input: searchInput,
  },
  COMPOSIO_GET_TOOL_SCHEMAS: {
    description: 'Return the complete input schemas of tools found with COMPOSIO_SEARCH_TOOLS.',
    input: schemasInput,
  },
  COMPOSIO_MULTI_EXECUTE_TOOL: {
    description:
      'Execute up to 50 tools in parallel. Each entry names a tool slug from COMPOSIO_SEARCH_TOOLS and its arguments, which must follow the tool input schema exactly.',
    input: multiExecuteInput,
  },
  COMPOSIO_MANAGE_CONNECTIONS: {
    description:
      'Check or create connections to toolkits. Returns status "active" for connected toolkits, or "initiated" with a redirect_url the user must open to connect.',
    input: manageInput,
  },
  COMPOSIO_WAIT_FOR_CONNECTIONS: {
    description: 'Wait until the user has finished connecting the given toolkits.',
    input: waitInput,
  },
  COMPOSIO_REMOTE_WORKBENCH: {
    description: 'Run Python code in a remote sandbox with access to tool results.',
    input: z.object({ code_to_execute: z.string(), thought: z.string().optional() }),
  },
  COMPOSIO_REMOTE_BASH_TOOL: {
    description: 'Run a bash command in the remote sandbox.',
    input: z.object({ command: z.string() }),
  },
};

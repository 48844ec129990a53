import type { HostTool, ModelTool } from './types.js';

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
// Keys Anthropic rejects (or that only add noise) at the top level of an input_schema.
const UNSUPPORTED_TOP_LEVEL = [
  '$schema',
  '$id',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
];

/** A converted tool list plus the map from model-facing names back to host names. */
export interface ToolCatalog {
  tools: ModelTool[];
  hostNameOf: ReadonlyMap<string, string>;
}

/** Makes a host tool name legal for Anthropic (`^[a-zA-Z0-9_-]{1,64}$`), unique within `taken`. */
export function sanitiseToolName(name: string, taken: ReadonlySet<string>): string {
  let base = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'tool';
  if (NAME_PATTERN.test(name) && !taken.has(name)) return name;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    base = base.slice(0, 64 - suffix.length);
    if (!taken.has(base + suffix)) return base + suffix;
  }
}

/** Returns an input_schema Anthropic accepts: an object schema without unsupported top-level keys. */
export function cleanInputSchema(
  schema: Record<string, unknown> | undefined,
): ModelTool['input_schema'] {
  const cleaned: Record<string, unknown> = { ...(schema ?? {}) };
  for (const key of UNSUPPORTED_TOP_LEVEL) delete cleaned[key];
  cleaned.type = 'object';
  if (typeof cleaned.properties !== 'object' || cleaned.properties === null)
    cleaned.properties = {};
  return cleaned as ModelTool['input_schema'];
}

/** Converts host tools to Anthropic tool definitions, in a stable order, with a name map back. */
export function buildToolCatalog(hostTools: readonly HostTool[]): ToolCatalog {
  const key = JSON.stringify(hostTools);
  const known = sharedCatalogs.get(key);
  if (known) {
    // Most recently used last, so the first key is the one to forget.
    sharedCatalogs.delete(key);
    sharedCatalogs.set(key, known);
    return known;
  }
  const catalog = freshCatalog(hostTools);
  sharedCatalogs.set(key, catalog);
  if (sharedCatalogs.size > SHARED_CATALOGS)
    sharedCatalogs.delete(sharedCatalogs.keys().next().value!);
  return catalog;
}

/**
 * Catalogs by the tool list they came from: every Tool Router session of a deployment lists the
 * same tools, so the users whose connections this process holds share one catalog (frozen, so
 * no turn can change it for the others) instead of each holding a copy.
 */
const sharedCatalogs = new Map<string, ToolCatalog>();
// A deployment lists one tool list (a few while its toolkits change): this only bounds memory.
const SHARED_CATALOGS = 32;

function freshCatalog(hostTools: readonly HostTool[]): ToolCatalog {
  const taken = new Set<string>();
  const hostNameOf = new Map<string, string>();
  const sorted = [...hostTools].sort((a, b) => a.name.localeCompare(b.name));
  const tools = sorted.map((tool): ModelTool => {
    const name = sanitiseToolName(tool.name, taken);
    taken.add(name);
    hostNameOf.set(name, tool.name);
    return {
      name,
      description: tool.description ?? '',
      input_schema: cleanInputSchema(tool.inputSchema),
    };
  });
  return deepFreeze({ tools, hostNameOf });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

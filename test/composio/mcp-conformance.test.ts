/**
 * Conformance of our MCP client side (connectMcpToolHost + buildToolCatalog + toToolOutcome)
 * against a third-party server: the MCP reference server `@modelcontextprotocol/server-everything`,
 * mounted in-process over real Streamable HTTP on 127.0.0.1.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToolCatalog } from '../../src/agent/tool-schema.js';
import type { ToolOutcome } from '../../src/agent/types.js';
import { connectMcpToolHost, type McpToolHost } from '../../src/composio/mcp-tool-host.js';
import {
  type EverythingServer,
  guardLoopbackFetch,
  startEverythingServer,
} from '../kit/everything-server.js';

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
const TOP_LEVEL_BANNED = ['$schema', '$id', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else'];
const ANTHROPIC_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
// The tools this pinned server version registers for a client without roots/sampling/elicitation,
// less `simulate-research-query`, which only runs as an MCP task and so is not offered.
const EXPECTED_TOOLS = [
  'echo',
  'get-annotated-message',
  'get-env',
  'get-resource-links',
  'get-resource-reference',
  'get-structured-content',
  'get-sum',
  'get-tiny-image',
  'gzip-file-as-resource',
  'toggle-simulated-logging',
  'toggle-subscriber-updates',
  'trigger-long-running-operation',
];
const CALL_TIMEOUT_MS = 300;

let server: EverythingServer;
let host: McpToolHost;
let fetchGuard: ReturnType<typeof guardLoopbackFetch>;

beforeAll(async () => {
  fetchGuard = guardLoopbackFetch();
  server = await startEverythingServer();
  host = await connectMcpToolHost({
    url: server.url,
    headers: {},
    callTimeoutMs: CALL_TIMEOUT_MS,
  });
});

afterAll(async () => {
  await host?.close();
  await server?.close();
  fetchGuard?.restore();
  // Nothing the server or our client did tried to leave 127.0.0.1.
  expect(fetchGuard?.refused).toEqual([]);
});

/** The text blocks of a tool_result, joined. */
function textOf(outcome: ToolOutcome): string {
  const { content } = outcome;
  if (typeof content === 'string') return content;
  return (content ?? []).map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('MCP client conformance against @modelcontextprotocol/server-everything', () => {
  it('lists every tool and converts all of them to valid Anthropic tool definitions', async () => {
    const hostTools = await host.listTools();
    const hostNames = hostTools.map((t) => t.name).sort();

    // Every tool the server registered for this session was listed, once.
    const [registered, ...others] = server.registeredToolNames();
    expect(others).toEqual([]);
    expect(hostNames).toEqual(
      [...(registered ?? [])].filter((n) => n !== 'simulate-research-query').sort(),
    );
    expect(hostNames).toEqual(EXPECTED_TOOLS);
    // The server sends draft-07 schemas with `$schema`: conversion must strip it.
    expect(hostTools.some((t) => '$schema' in t.inputSchema)).toBe(true);

    const { tools, hostNameOf } = buildToolCatalog(hostTools);
    expect(tools).toHaveLength(hostTools.length);
    expect(hostNameOf.size).toBe(hostTools.length);
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);

    const ajv = new Ajv({ strict: true, allErrors: true });
    addFormats.default(ajv);
    for (const tool of tools) {
      expect(tool.name, tool.name).toMatch(NAME_PATTERN);
      expect(hostNameOf.get(tool.name), tool.name).toBeDefined();
      expect(typeof tool.description, tool.name).toBe('string');
      const schema = tool.input_schema as Record<string, unknown>;
      expect(schema.type, tool.name).toBe('object');
      expect(typeof schema.properties, tool.name).toBe('object');
      for (const key of TOP_LEVEL_BANNED)
        expect(schema, `${tool.name}.${key}`).not.toHaveProperty(key);
      expect(() => ajv.compile(schema), tool.name).not.toThrow();
    }

    // The converted schemas still mean what the server's did.
    const echo = tools.find((t) => t.name === 'echo')!;
    const validateEcho = ajv.compile(echo.input_schema);
    expect(validateEcho({ message: 'hi' })).toBe(true);
    expect(validateEcho({ message: 42 })).toBe(false);
    expect(validateEcho({})).toBe(false);
  });

  it('returns a text result', async () => {
    const outcome = await host.callTool('echo', { message: 'hello from the conformance test' });
    expect(outcome).toEqual({
      content: [{ type: 'text', text: 'Echo: hello from the conformance test' }],
      isError: false,
    });
  });

  it('returns an image result as an Anthropic base64 image block', async () => {
    const outcome = await host.callTool('get-tiny-image', {});
    expect(outcome.isError).toBe(false);
    const blocks = Array.isArray(outcome.content) ? outcome.content : [];
    const images = blocks.filter((b) => b.type === 'image');
    expect(images).toHaveLength(1);
    const image = images[0]!;
    if (image.type !== 'image' || image.source.type !== 'base64') throw new Error('not base64');
    expect(ANTHROPIC_IMAGE_TYPES).toContain(image.source.media_type);
    expect(image.source.media_type).toBe('image/png');
    const bytes = Buffer.from(image.source.data, 'base64');
    expect(bytes.toString('base64')).toBe(image.source.data);
    // PNG signature.
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // The text around the image is kept too.
    expect(textOf(outcome)).toContain("Here's the image you requested:");
  });

  it('returns invalid arguments as an error result without throwing', async () => {
    const outcome = await host.callTool('get-sum', { a: 'one', b: 2 });
    expect(outcome.isError).toBe(true);
    expect(textOf(outcome)).toMatch(/Input validation error/);
  });

  it('returns an unknown tool as an error result without throwing', async () => {
    const outcome = await host.callTool('no-such-tool', {});
    expect(outcome.isError).toBe(true);
    expect(textOf(outcome)).toMatch(/Tool no-such-tool not found/);
  });

  it('returns a task-only tool (taskSupport: required) as an error result without throwing', async () => {
    // Listed and offered to the model, but our host calls tools directly, never as tasks.
    const outcome = await host.callTool('simulate-research-query', { topic: 'conformance' });
    expect(outcome.isError).toBe(true);
    expect(textOf(outcome)).toMatch(/requires task-based execution/);
  });

  it('turns a call that outlives callTimeoutMs into an error result without throwing', async () => {
    const started = Date.now();
    // 1 s on the server against a 300 ms client timeout; the server finishes before teardown.
    const outcome = await host.callTool('trigger-long-running-operation', {
      duration: 1,
      steps: 1,
    });
    const elapsed = Date.now() - started;
    expect(outcome.isError).toBe(true);
    expect(textOf(outcome)).toMatch(/timed out/i);
    expect(elapsed).toBeGreaterThanOrEqual(CALL_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(1_000);

    // The connection is still usable after the timed-out call.
    const after = await host.callTool('echo', { message: 'still here' });
    expect(after).toEqual({
      content: [{ type: 'text', text: 'Echo: still here' }],
      isError: false,
    });
  });
});

import { secondsSince, type ToolOutcome } from '../observability/metrics.js';
import type { Observability } from '../observability/observability.js';
import { inSpan } from '../observability/tracing.js';
import type { ToolHost } from './types.js';

// The MCP host's words for a call that got no answer in time (src/composio/mcp-tool-host.ts).
const TIMED_OUT = /timed out after [\d.]+ s without an answer/;

/**
 * A tool host, counted and traced: each call is a `tool.call` span naming the tool (never its
 * arguments or result) and counts by tool and outcome. The tool names are the host's own (the
 * Tool Router's few meta tools), so the label stays bounded whatever the model asks for.
 */
export function observeTools(host: ToolHost, o: Observability): ToolHost {
  return {
    listTools: () => host.listTools(),
    callTool(name, args) {
      const started = Date.now();
      return inSpan(o.tracer, 'tool.call', { 'gen_ai.tool.name': name }, async (span) => {
        let outcome: ToolOutcome = 'error';
        try {
          const result = await host.callTool(name, args);
          const text = JSON.stringify(result.content);
          outcome = !result.isError ? 'ok' : TIMED_OUT.test(text) ? 'timeout' : 'error';
          return result;
        } finally {
          span.setAttribute('tool.outcome', outcome);
          o.metrics.toolCalls.inc({ tool: name, outcome });
          o.metrics.toolDuration.observe({ tool: name }, secondsSince(started));
        }
      });
    },
  };
}

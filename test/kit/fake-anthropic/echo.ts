import type { RecordedRequest } from './types.js';

/** The text of a recorded request's last user message (its text blocks joined by newlines). */
export function lastUserText(request: RecordedRequest): string {
  const last = (request.body.messages as Array<{ role: string; content: unknown }>).at(-1);
  if (last?.role !== 'user') return '';
  if (typeof last.content === 'string') return last.content;
  return (last.content as Array<{ type: string; text?: string }>)
    .flatMap((b) => (b.type === 'text' && b.text ? [b.text] : []))
    .join('\n');
}

/**
 * Every match of `pattern` (a global RegExp) in the request's last user message, in order: a
 * responder built on it carries what it was given (markers, facts) into its answer, as a model
 * that summarises would, without an answer scripted per test.
 */
export function echoMatches(request: RecordedRequest, pattern: RegExp): string[] {
  return [...lastUserText(request).matchAll(pattern)].map((m) => m[0]);
}

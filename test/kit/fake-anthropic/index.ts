/** A local fake of the Anthropic Messages API that the real `@anthropic-ai/sdk` talks to over HTTP. */
export { cited, text, toolUse } from './blocks.js';
export { searchResultsOf } from './citations.js';
export { echoMatches, lastUserText } from './echo.js';
export { startFakeAnthropic } from './server.js';
export type {
  ContentBlock,
  FakeAnthropic,
  ModelStep,
  RecordedRequest,
  Responder,
  ScriptedCitation,
  StopReason,
} from './types.js';

/** A local fake of the Anthropic Messages API that the real `@anthropic-ai/sdk` talks to over HTTP. */
export { text, toolUse } from './blocks.js';
export { echoMatches, lastUserText } from './echo.js';
export { startFakeAnthropic } from './server.js';
export type {
  ContentBlock,
  FakeAnthropic,
  ModelStep,
  RecordedRequest,
  Responder,
  StopReason,
} from './types.js';

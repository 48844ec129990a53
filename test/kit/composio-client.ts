import type { ComposioLike } from '../../src/composio/composio-like.js';
import { loadConfig } from '../../src/config.js';
import { createComposio } from '../../src/core.js';
import type { FakeComposio } from './fake-composio/index.js';

/** The real Composio SDK, configured as the app configures it, pointed at the fake. */
export function composioAgainst(fake: Pick<FakeComposio, 'apiKey' | 'url'>): ComposioLike {
  const env = { ANTHROPIC_API_KEY: 'unused', COMPOSIO_API_KEY: fake.apiKey };
  return createComposio(loadConfig({ ...env, COMPOSIO_BASE_URL: fake.url }, { surface: 'cli' }));
}

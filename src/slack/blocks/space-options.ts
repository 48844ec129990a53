import type { SpaceOption } from '../../confluence/spaces.js';

/** Slack's static select offers at most this many options. */
export const MAX_SPACE_OPTIONS = 100;

const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * The spaces for the picker, each key once: in the order Confluence listed them when they all
 * fit in a static select; otherwise the first {@link MAX_SPACE_OPTIONS} by name (then key).
 */
export function pickerSpaces(spaces: SpaceOption[]): SpaceOption[] {
  const unique = [...new Map(spaces.map((s) => [s.key, s])).values()];
  if (unique.length <= MAX_SPACE_OPTIONS) return unique;
  unique.sort((a, b) => byName.compare(a.name, b.name) || byName.compare(a.key, b.key));
  return unique.slice(0, MAX_SPACE_OPTIONS);
}

import { describe, expect, it } from 'vitest';
import {
  readSummariseForm,
  summariseRequestText,
} from '../../../src/slack/blocks/summarise-form.js';

type Values = Parameters<typeof readSummariseForm>[0];

/** view.state.values as Slack sends them for the summarise modal. */
function values(v: {
  space?: string;
  key?: string | null;
  title?: string | null;
  parent?: string | null;
  instructions?: string | null;
}): Values {
  return {
    ...(v.space !== undefined && {
      space: { value: { selected_option: v.space ? { value: v.space } : null } },
    }),
    space_key: { value: { value: v.key ?? null } },
    title: { value: { value: v.title ?? null } },
    parent: { value: { value: v.parent ?? null } },
    instructions: { value: { value: v.instructions ?? null } },
  };
}

describe('readSummariseForm', () => {
  it('takes the picked space over a typed key, and trims the fields', () => {
    expect(readSummariseForm(values({ space: 'MKT', key: 'ENG', title: '  Retro  ' }))).toEqual({
      form: { spaceKey: 'MKT', title: 'Retro', parent: undefined, instructions: undefined },
    });
  });

  it('falls back to the typed key when nothing is picked (or there is no picker)', () => {
    expect(
      readSummariseForm(values({ space: '', key: ' ~alice ', title: 'T' })).form,
    ).toMatchObject({
      spaceKey: '~alice',
    });
    expect(readSummariseForm(values({ key: 'ENG', title: 'T' })).form?.spaceKey).toBe('ENG');
  });

  it('keeps optional parent and instructions', () => {
    const { form } = readSummariseForm(
      values({ space: 'ENG', title: 'T', parent: 'Runbooks', instructions: ' decisions only ' }),
    );
    expect(form).toMatchObject({ parent: 'Runbooks', instructions: 'decisions only' });
  });

  it('reports a missing space and title against their blocks', () => {
    expect(readSummariseForm(values({ space: '', key: '', title: ' ' }))).toEqual({
      errors: { space_key: 'Choose a space, or type its key.', title: 'Give the page a title.' },
    });
  });

  it('refuses a key that is not a space key', () => {
    const { form, errors } = readSummariseForm(values({ key: 'MK T!', title: 'T' }));
    expect(form).toBeUndefined();
    expect(errors?.space_key).toMatch(/only letters and digits/);
  });
});

describe('summariseRequestText', () => {
  it('names space, title, parent and instructions', () => {
    const text = summariseRequestText({
      spaceKey: 'MKT',
      title: 'Retro',
      parent: 'Launches',
      instructions: 'keep it short',
    });
    expect(text).toContain('in space MKT titled "Retro", under the parent page "Launches"');
    expect(text).toContain('Extra instructions from the requester: keep it short');
  });

  it('asks the page to state how many messages and which dates it covers', () => {
    const text = summariseRequestText({ spaceKey: 'MKT', title: 'Retro' });
    expect(text).toMatch(/number of messages and their date range/);
  });
});

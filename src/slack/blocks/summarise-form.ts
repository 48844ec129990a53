/** What the summarise modal's form submitted, validated. */
export interface SummariseForm {
  spaceKey: string;
  title: string;
  parent?: string;
  instructions?: string;
}

type ViewValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
>;

const SPACE_KEY = /^[A-Za-z0-9~]{1,255}$/;

/** Reads and validates the form; `errors` (by block_id) are shown in the modal when present. */
export function readSummariseForm(values: ViewValues): {
  form?: SummariseForm;
  errors?: Record<string, string>;
} {
  const text = (block: string) => (values[block]?.value?.value ?? '').trim();
  const picked = values.space?.value?.selected_option?.value ?? '';
  const spaceKey = picked || text('space_key');
  const title = text('title');
  const errors: Record<string, string> = {};
  if (!spaceKey) errors.space_key = 'Choose a space, or type its key.';
  else if (!SPACE_KEY.test(spaceKey))
    errors.space_key = 'A space key has only letters and digits, like MKT.';
  if (!title) errors.title = 'Give the page a title.';
  if (Object.keys(errors).length) return { errors };
  return {
    form: {
      spaceKey,
      title,
      parent: text('parent') || undefined,
      instructions: text('instructions') || undefined,
    },
  };
}

/** The request the agent gets for a submitted form; the thread itself comes as quoted context. */
export function summariseRequestText(form: SummariseForm): string {
  return [
    `Summarise the Slack thread above into a new Confluence page in space ${form.spaceKey} titled "${form.title}"${form.parent ? `, under the parent page "${form.parent}"` : ''}.`,
    'Write it in Confluence storage format with short sections: Summary, Decisions, Action items (with owners), Open questions. Credit people by name.',
    'Start the page with what it covers: the number of messages and their date range, as given with the thread.',
    ...(form.instructions ? [`Extra instructions from the requester: ${form.instructions}`] : []),
    'Create the page, then reply with its title and link.',
  ].join('\n');
}

/** A message sent back through a slash command's or interaction's response_url. */
export interface ResponseUrlMessage {
  text: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

/** Posts to a response_url (ephemeral unless told otherwise); throws on a non-2xx answer. */
export async function postToResponseUrl(url: string, message: ResponseUrlMessage): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', ...message }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}

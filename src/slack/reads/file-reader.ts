import type { WebClient } from '@slack/web-api';
import { CodedError } from '../../errors.js';
import type { FileSource } from '../../turns/turn-files.js';
import type { FileRef } from '../../turns/turn-request.js';

/** Where Slack serves file bytes (a file object's url_private and url_private_download). */
export const SLACK_FILES_ORIGIN = 'https://files.slack.com';

// A few MB from Slack's file servers: a minute without the whole file is a hang.
const FETCH_TIMEOUT_MS = 60_000;

const unavailable = (file: FileRef, why: string, cause?: unknown) =>
  new CodedError('file_unavailable', `file ${file.id} could not be fetched: ${why}`, { cause });

/**
 * Reads attached files from Slack with the bot token (the `files:read` scope): a GET of the file
 * object's `url_private_download` (or `url_private`) with `Authorization: Bearer <token>`
 * (https://docs.slack.dev/reference/objects/file-object#authentication). A file whose event
 * carried no URL (Slack sends `file_access: "check_file_info"` for some shared files) is looked
 * up with `files.info` first. The token is only ever sent to `origins` (Slack's file host, or
 * the API's own host when SLACK_API_URL points elsewhere): a URL anywhere else is refused.
 * Nothing here logs: neither the bytes, nor the file's name, nor its URL.
 */
export function createFileReader(
  client: WebClient,
  botToken: string,
  origins: readonly string[] = [SLACK_FILES_ORIGIN],
): FileSource {
  async function urlOf(file: FileRef): Promise<string> {
    if (file.url) return file.url;
    const info = await client.files.info({ file: file.id }).catch((err: unknown) => {
      throw unavailable(file, 'files.info failed', err);
    });
    const url = info.file?.url_private_download ?? info.file?.url_private;
    if (!url) throw unavailable(file, 'files.info gave no URL');
    return url;
  }

  return {
    async fetch(file, maxBytes) {
      const url = await urlOf(file);
      let origin: string;
      try {
        origin = new URL(url).origin;
      } catch {
        throw unavailable(file, 'its URL is malformed');
      }
      if (!origins.includes(origin)) throw unavailable(file, 'its URL is not on Slack');
      // Not followed: without access Slack answers with a redirect to its sign-in page (an HTML
      // page, not the file), and a redirect elsewhere must not carry the token either.
      const res = await fetch(url, {
        headers: { Authorization: `Bearer ${botToken}` },
        redirect: 'manual',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      }).catch((err: unknown) => {
        throw unavailable(file, 'no answer', err);
      });
      if (res.status !== 200) {
        await res.body?.cancel();
        throw unavailable(file, `HTTP ${res.status}`);
      }
      if (res.headers.get('content-type')?.startsWith('text/html')) {
        await res.body?.cancel();
        throw unavailable(file, 'Slack answered with a web page (no access)');
      }
      return readAtMost(res, maxBytes, file);
    },
  };
}

/** The body's bytes, failing as soon as it passes `maxBytes` (Slack's size may be wrong or absent). */
async function readAtMost(res: Response, maxBytes: number, file: FileRef): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  const tooBig = () =>
    new CodedError('file_unreadable', `file ${file.id} is over ${maxBytes} bytes`);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array();
  try {
    // Bounded by maxBytes: each chunk adds to size, and the loop ends once it passes.
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooBig();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw unavailable(file, 'the download broke off', err);
  }
  return Buffer.concat(chunks);
}

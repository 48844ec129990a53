import type { FileRef } from '../../turns/turn-request.js';

/**
 * Slack puts at most 10 files on one message; more entries than this are not a real message,
 * and the request (queued in Redis) stays small whatever arrives.
 */
const MAX_FILE_REFS = 20;

/** A file object as a message event carries it (@slack/types `File`); read defensively. */
interface SlackFile {
  id?: unknown;
  name?: unknown;
  title?: unknown;
  mimetype?: unknown;
  filetype?: unknown;
  size?: unknown;
  url_private?: unknown;
  url_private_download?: unknown;
  mode?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/**
 * The files of a message event as references (no bytes): id, name, type, size and where the
 * bytes are (https://docs.slack.dev/reference/objects/file-object). Entries without an id are
 * not files; a tombstoned (deleted) file is left out, as is anything past {@link MAX_FILE_REFS}.
 * Undefined when there are none.
 */
export function fileRefsOf(files: unknown): FileRef[] | undefined {
  if (!Array.isArray(files)) return undefined;
  const refs = files
    .filter((f): f is SlackFile => typeof f === 'object' && f !== null)
    .filter((f) => text(f.id) && f.mode !== 'tombstone')
    .slice(0, MAX_FILE_REFS)
    .map((f): FileRef => {
      const size = typeof f.size === 'number' && f.size >= 0 ? f.size : undefined;
      const url = text(f.url_private_download) ?? text(f.url_private);
      return {
        id: text(f.id)!,
        name: (text(f.name) ?? text(f.title) ?? text(f.id)!).slice(0, 255),
        ...(text(f.mimetype) && { mimetype: text(f.mimetype) }),
        ...(text(f.filetype) && { filetype: text(f.filetype) }),
        ...(size !== undefined && { size }),
        ...(url && { url }),
      };
    });
  return refs.length ? refs : undefined;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiContext, type ApiHandler, fail, ok, str } from './api.js';
import type { Args } from './types.js';

/** A file uploaded to the fake workspace: its metadata and its bytes. */
export interface FakeFile {
  id: string;
  name: string;
  mimetype: string;
  filetype: string;
  bytes: Buffer;
  user: string;
  created: number;
}

/** One GET of a file's bytes: with which Authorization header, and what the fake answered. */
export interface FileDownload {
  fileId: string;
  authorization?: string;
  status: number;
}

/** Slack's `pretty_type` for the file types tests use. */
const PRETTY: Record<string, string> = {
  pdf: 'PDF',
  png: 'PNG',
  jpg: 'JPEG',
  gif: 'GIF',
  webp: 'WebP',
  text: 'Plain Text',
  markdown: 'Markdown (raw)',
  csv: 'CSV',
  binary: 'Binary',
};

/**
 * The file object as Slack renders it in events and files.info (@slack/types `File`;
 * https://docs.slack.dev/reference/objects/file-object): the bytes live at `url_private` and
 * `url_private_download`, on the files host (`/files-pri/<team>-<file id>/…`), readable only
 * with a token that has `files:read`. `size` may be overridden: a test can claim a 50 MB file
 * without serving 50 MB.
 */
export function renderFile(file: FakeFile, ctx: ApiContext, size = file.bytes.length): Args {
  const base = `${ctx.origin}/files-pri/${ctx.identity.teamId}-${file.id}`;
  const name = encodeURIComponent(file.name);
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.name,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: PRETTY[file.filetype] ?? file.filetype.toUpperCase(),
    user: file.user,
    editable: false,
    size,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: true,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `${base}/${name}`,
    url_private_download: `${base}/download/${name}`,
    permalink: `${ctx.origin}/files/${file.user}/${file.id}/${name}`,
  };
}

/** files.info: the file object, or `file_not_found`. */
const filesInfo: ApiHandler = (args, ctx) => {
  const file = ctx.store.files.get(str(args.file) ?? '');
  return file ? ok({ file: renderFile(file, ctx) }) : fail('file_not_found');
};

/** The file methods the app calls. */
export const fileMethods: Record<string, ApiHandler> = { 'files.info': filesInfo };

const FILE_PATH = /^\/files-pri\/([A-Z0-9]+)-([A-Z0-9]+)\/(?:download\/)?[^/]+$/;

/**
 * Serves a file's bytes at its url_private(_download), if the request is for one: only with
 * `Authorization: Bearer <bot token>`. Without it (or with another token) Slack does not answer
 * 401 but redirects to the workspace's sign-in page, which is HTML with status 200 — the
 * well-known "my download is an HTML page" trap (https://docs.slack.dev/reference/objects/file-object#authentication:
 * "you'll need to provide an HTTP Authorization header … Bearer token"). Returns false for any
 * other path.
 */
export function serveFile(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  downloads: FileDownload[],
): boolean {
  const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (pathname === '/signin') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><html><body>Sign in to your workspace</body></html>');
    return true;
  }
  const match = FILE_PATH.exec(pathname);
  if (!match || req.method !== 'GET') return false;
  const file = match[1] === ctx.identity.teamId ? ctx.store.files.get(match[2]!) : undefined;
  const authorization = req.headers.authorization;
  if (authorization !== `Bearer ${ctx.identity.botToken}`) {
    downloads.push({ fileId: match[2]!, authorization, status: 302 });
    res.writeHead(302, { location: `${ctx.origin}/signin?redir=${encodeURIComponent(pathname)}` });
    res.end();
    return true;
  }
  if (!file) {
    downloads.push({ fileId: match[2]!, authorization, status: 404 });
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('File not found');
    return true;
  }
  downloads.push({ fileId: file.id, authorization, status: 200 });
  res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length });
  res.end(file.bytes);
  return true;
}

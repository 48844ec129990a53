import type Anthropic from '@anthropic-ai/sdk';
import { CodedError } from '../errors.js';

/**
 * The kinds of file Claude reads from a request, and how each reaches it: a PDF as a `document`
 * with a base64 PDF source, text as a `document` with a plain-text source, an image as an
 * `image` with a base64 source (@anthropic-ai/sdk DocumentBlockParam, Base64PDFSource,
 * PlainTextSource, ImageBlockParam, Base64ImageSource; https://docs.claude.com/en/docs/build-with-claude/pdf-support
 * and https://docs.claude.com/en/docs/build-with-claude/vision).
 */
export type FileKind = 'pdf' | 'text' | 'image';

/** The image media types the Messages API takes (Base64ImageSource['media_type']). */
export type ImageMediaType = Anthropic.Base64ImageSource['media_type'];

/**
 * The API takes an image of at most 5 MB once base64-encoded (see the vision guide's limits):
 * 3.75 MB of bytes.
 */
export const IMAGE_MAX_BYTES = (5 * 1024 * 1024 * 3) / 4;

/** What the kinds are, in words, for replies. */
export const SUPPORTED_FILES =
  'PDFs, plain text, Markdown and CSV files, and PNG, JPEG, GIF and WebP images';

const BY_MIMETYPE: Record<string, FileKind> = {
  'application/pdf': 'pdf',
  'text/plain': 'text',
  'text/markdown': 'text',
  'text/x-markdown': 'text',
  'text/csv': 'text',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
};

// Slack's `filetype` values (https://docs.slack.dev/reference/objects/file-object#types) and
// file name extensions, for a file whose mimetype says nothing useful.
const BY_TYPE: Record<string, FileKind> = {
  pdf: 'pdf',
  text: 'text',
  txt: 'text',
  markdown: 'text',
  md: 'text',
  csv: 'text',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
};

/** What kind of file this is by what Slack says of it; undefined for a kind Claude cannot read. */
export function kindOf(file: {
  name: string;
  mimetype?: string;
  filetype?: string;
}): FileKind | undefined {
  const mime = file.mimetype?.split(';')[0]?.trim().toLowerCase();
  const extension = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase();
  return (
    (mime ? BY_MIMETYPE[mime] : undefined) ??
    (file.filetype ? BY_TYPE[file.filetype.toLowerCase()] : undefined) ??
    (extension ? BY_TYPE[extension] : undefined)
  );
}

/** The media type the bytes themselves show (their magic numbers), if one Claude reads. */
export function sniffMediaType(bytes: Uint8Array): 'application/pdf' | ImageMediaType | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const ascii = (from: number, text: string) =>
    [...text].every((c, i) => bytes[from + i] === c.charCodeAt(0));
  if (ascii(0, '%PDF-')) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  return undefined;
}

const unreadable = (why: string) => new CodedError('file_unreadable', `attached file ${why}`);

/**
 * The content block that hands one fetched file to Claude, checked against its kind first: the
 * API refuses an image whose bytes are not its media type, and a claimed PDF or text file that
 * is something else would only confuse the model. Text must be UTF-8.
 */
export function fileBlock(
  file: { name: string; kind: FileKind },
  bytes: Uint8Array,
): Anthropic.DocumentBlockParam | Anthropic.ImageBlockParam {
  const title = file.name.slice(0, 200);
  if (file.kind === 'text') {
    let data: string;
    try {
      data = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw unreadable('is not UTF-8 text');
    }
    if (data.includes('\u0000')) throw unreadable('is binary, not text');
    // A document's text may not be empty; an empty file still says it was attached.
    return {
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: data || '(empty file)' },
      title,
    };
  }
  const sniffed = sniffMediaType(bytes);
  const data = Buffer.from(bytes).toString('base64');
  if (file.kind === 'pdf') {
    if (sniffed !== 'application/pdf') throw unreadable('is not a PDF');
    return { type: 'document', source: { type: 'base64', media_type: sniffed, data }, title };
  }
  if (!sniffed || sniffed === 'application/pdf') throw unreadable('is not a supported image');
  if (bytes.length > IMAGE_MAX_BYTES) throw unreadable('is an image over the API limit');
  return { type: 'image', source: { type: 'base64', media_type: sniffed, data } };
}

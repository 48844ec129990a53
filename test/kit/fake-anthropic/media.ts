// The checks the Messages API makes of `image` and `document` blocks: the source shapes of
// @anthropic-ai/sdk (ImageBlockParam with Base64ImageSource | URLImageSource | FileImageSource;
// DocumentBlockParam with Base64PDFSource | PlainTextSource | ContentBlockSource | URLPDFSource |
// FileDocumentSource), and the limits of https://docs.claude.com/en/docs/build-with-claude/vision
// (JPEG, PNG, GIF, WebP; 5 MB an image; 100 images a request) and
// https://docs.claude.com/en/docs/build-with-claude/pdf-support (base64 PDFs). The API also
// refuses an image whose bytes are not its declared media type; messages follow its wording.
type Json = Record<string, unknown>;

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const IMAGE_MAX_BASE64 = 5 * 1024 * 1024;
/** Images in one request (the vision guide: up to 100 for API requests). */
export const MAX_IMAGES = 100;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The media type the decoded bytes show by their magic numbers. */
function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (/^GIF8[79]a/.test(bytes.subarray(0, 6).toString('latin1'))) return 'image/gif';
  const riff = bytes.subarray(0, 12).toString('latin1');
  if (riff.startsWith('RIFF') && riff.slice(8) === 'WEBP') return 'image/webp';
  return undefined;
}

function base64Problem(data: unknown, at: string): string | null {
  if (typeof data !== 'string' || data === '') return `${at}.data: Field required`;
  if (data.length % 4 !== 0 || !BASE64.test(data)) return `${at}.data: Invalid base64 data`;
  return null;
}

/** The API's message for a bad `image` block, or null. */
export function imageProblem(block: Json, at: string): string | null {
  const source = block.source;
  if (!isObject(source)) return `${at}.source: Field required`;
  if (source.type === 'url' || source.type === 'file') return null;
  if (source.type !== 'base64') {
    return `${at}.source: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`;
  }
  const where = `${at}.source.base64`;
  if (!IMAGE_TYPES.includes(String(source.media_type))) {
    return `${where}.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`;
  }
  const bad = base64Problem(source.data, where);
  if (bad) return bad;
  const data = source.data as string;
  if (data.length > IMAGE_MAX_BASE64) {
    return `${where}: image exceeds 5 MB maximum: ${data.length} bytes > ${IMAGE_MAX_BASE64} bytes`;
  }
  const actual = sniff(Buffer.from(data.slice(0, 64), 'base64'));
  if (actual !== source.media_type) {
    return `${where}.data: The image was specified using the ${String(source.media_type)} media type, but the image appears to be a ${actual ?? 'unsupported'} image`;
  }
  return null;
}

/** The API's message for a bad `document` block, or null. */
export function documentProblem(block: Json, at: string): string | null {
  const source = block.source;
  if (!isObject(source)) return `${at}.source: Field required`;
  switch (source.type) {
    case 'base64': {
      const where = `${at}.source.base64`;
      if (source.media_type !== 'application/pdf')
        return `${where}.media_type: Input should be 'application/pdf'`;
      const bad = base64Problem(source.data, where);
      if (bad) return bad;
      if (sniff(Buffer.from((source.data as string).slice(0, 64), 'base64')) !== 'application/pdf')
        return `${where}.data: The PDF specified was not valid.`;
      return null;
    }
    case 'text': {
      const where = `${at}.source.text`;
      if (source.media_type !== 'text/plain')
        return `${where}.media_type: Input should be 'text/plain'`;
      if (typeof source.data !== 'string' || source.data === '')
        return `${where}.data: text content blocks must be non-empty`;
      return null;
    }
    case 'content':
    case 'url':
    case 'file':
      return null;
    default:
      return `${at}.source: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: 'base64', 'text', 'content', 'url', 'file'`;
  }
}

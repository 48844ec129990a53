/** What a request's files allow (src/turns/turn-files.ts): the refusals, and the stored line. */
import { describe, expect, it } from 'vitest';
import {
  attachmentLine,
  fileRefusal,
  MAX_TOTAL_FILE_BYTES,
  shownName,
} from '../../src/turns/turn-files.js';
import type { FileRef } from '../../src/turns/turn-request.js';

const MB = 1024 * 1024;
const limits = { maxBytes: 10 * MB, maxCount: 3 };
const pdf = (name: string, size: number): FileRef => ({
  id: `F${name}`,
  name,
  mimetype: 'application/pdf',
  filetype: 'pdf',
  size,
});

describe('fileRefusal', () => {
  it('takes supported files within the limits', () => {
    const files: FileRef[] = [
      pdf('a.pdf', MB),
      { id: 'F2', name: 'notes.md', filetype: 'markdown', size: 300 },
      { id: 'F3', name: 'shot.webp', mimetype: 'image/webp', size: 2 * MB },
    ];
    expect(fileRefusal(files, limits)).toBeUndefined();
    expect(fileRefusal([], limits)).toBeUndefined();
  });

  it('names each problem and what is supported', () => {
    const reply = fileRefusal(
      [
        pdf('big.pdf', 50 * MB),
        { id: 'F2', name: 'setup.exe', mimetype: 'application/x-msdownload', size: 10 },
        { id: 'F3', name: 'photo.png', mimetype: 'image/png', size: 4 * MB },
        pdf('d.pdf', 1),
      ],
      limits,
    );
    expect(reply).toContain('You attached 4 files; I can take up to 3 at a time.');
    expect(reply).toContain("I can't read setup.exe.");
    expect(reply).toContain('big.pdf is 50 MB; I can take files up to 10 MB.');
    expect(reply).toContain('photo.png is 4 MB; I can take images up to 3.75 MB.');
    expect(reply).toMatch(
      /I can read PDFs, .* and PNG, JPEG, GIF and WebP images\. Nothing was done\.$/,
    );
  });

  it('refuses files that are together over the request budget', () => {
    const each = MAX_TOTAL_FILE_BYTES / 2 + 1;
    expect(
      fileRefusal([pdf('a.pdf', each), pdf('b.pdf', each)], { maxBytes: 20 * MB, maxCount: 5 }),
    ).toMatch(/^Together the files are 20 MB; I can take up to 20 MB at a time\./);
  });

  it('takes none when the count limit is 0 (files turned off)', () => {
    expect(fileRefusal([pdf('a.pdf', 1)], { maxBytes: MB, maxCount: 0 })).toContain(
      'I can take up to 0 at a time',
    );
  });
});

describe('attachmentLine and shownName', () => {
  it('names each file with its type and size, and no markup', () => {
    const line = attachmentLine([
      pdf('brief.pdf', 1536 * 1024),
      { id: 'F2', name: '<!channel> *x*.png', mimetype: 'image/png', filetype: 'png', size: 900 },
    ]);
    expect(line).toContain('brief.pdf (PDF, 1.5 MB); !channel x.png (PNG image, 900 bytes)');
    expect(line).not.toContain('<!channel>');
    expect(shownName('a'.repeat(200))).toHaveLength(78);
  });
});

/** Fetched files as the content blocks Claude reads (src/agent/file-blocks.ts). */
import { describe, expect, it } from 'vitest';
import { fileBlock, kindOf, sniffMediaType } from '../../src/agent/file-blocks.js';
import { pdfWithPages, TINY_PNG } from '../kit/files.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

describe('kindOf', () => {
  it('reads the mimetype, then Slack filetype, then the name', () => {
    expect(kindOf({ name: 'x', mimetype: 'application/pdf' })).toBe('pdf');
    expect(kindOf({ name: 'x', mimetype: 'text/csv; charset=utf-8' })).toBe('text');
    expect(kindOf({ name: 'x', mimetype: 'application/octet-stream', filetype: 'markdown' })).toBe(
      'text',
    );
    expect(kindOf({ name: 'notes.MD' })).toBe('text');
    expect(kindOf({ name: 'a.gif', mimetype: 'image/gif' })).toBe('image');
    expect(kindOf({ name: 'deck.pptx', filetype: 'pptx' })).toBeUndefined();
    expect(kindOf({ name: 'setup.exe', mimetype: 'application/x-msdownload' })).toBeUndefined();
  });
});

describe('fileBlock', () => {
  it('hands a PDF as a base64 document, text as a plain-text document, an image by its bytes', () => {
    const pdf = pdfWithPages(['one', 'two', 'three']);
    expect(fileBlock({ name: 'a.pdf', kind: 'pdf' }, pdf)).toEqual({
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: pdf.toString('base64') },
      title: 'a.pdf',
    });
    expect(fileBlock({ name: 'b.csv', kind: 'text' }, Buffer.from('a,b\n1,2'))).toEqual({
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: 'a,b\n1,2' },
      title: 'b.csv',
    });
    // The media type comes from the bytes: a JPEG named .png is sent as what it is.
    expect(fileBlock({ name: 'c.png', kind: 'image' }, JPEG)).toMatchObject({
      type: 'image',
      source: { media_type: 'image/jpeg' },
    });
    expect(sniffMediaType(TINY_PNG)).toBe('image/png');
  });

  it('refuses bytes that are not what the file claims, with file_unreadable', () => {
    const cases: Array<[Parameters<typeof fileBlock>[0], Uint8Array]> = [
      [{ name: 'a.pdf', kind: 'pdf' }, TINY_PNG],
      [{ name: 'b.png', kind: 'image' }, Buffer.from('%PDF-1.4')],
      [{ name: 'c.txt', kind: 'text' }, Buffer.from([0xc3, 0x28])],
      [{ name: 'd.txt', kind: 'text' }, Buffer.from('a\u0000b')],
    ];
    for (const [file, bytes] of cases)
      expect(() => fileBlock(file, bytes)).toThrow(
        expect.objectContaining({ code: 'file_unreadable' }),
      );
  });
});

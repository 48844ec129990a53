import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh id in the API's style, e.g. `msg_01…`, `toolu_01…`, `req_01…` (24 base62 chars). */
export function newId(prefix: string): string {
  const bytes = randomBytes(22);
  let tail = '';
  for (const byte of bytes) tail += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_01${tail}`;
}

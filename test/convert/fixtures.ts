import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Conversation, DownloadedFile } from '../../src/model';

export const CONVERSATIONS_DIR = join(__dirname, '..', 'fixtures', 'conversations');
export const GOLDEN_DIR = join(__dirname, '..', 'fixtures', 'golden');

/** A fixture file: a hand-written conversation plus what the pipeline would hand the converter. */
interface FixtureFile {
  readonly description: string;
  readonly conversation: Conversation;
  readonly files?: readonly { relativePath: string; fileName: string; contentType: string; base64: string }[];
  readonly sourceRecord?: unknown;
}

export interface Fixture {
  readonly name: string;
  readonly description: string;
  readonly conversation: Conversation;
  readonly files: readonly DownloadedFile[];
  readonly sourceRecord?: unknown;
}

export function loadFixtures(): Fixture[] {
  return readdirSync(CONVERSATIONS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw = JSON.parse(readFileSync(join(CONVERSATIONS_DIR, f), 'utf8')) as FixtureFile;
      return {
        name: f.replace(/\.json$/, ''),
        description: raw.description,
        conversation: raw.conversation,
        files: (raw.files ?? []).map((x) => ({
          relativePath: x.relativePath,
          fileName: x.fileName,
          contentType: x.contentType,
          bytes: new Uint8Array(Buffer.from(x.base64, 'base64')),
        })),
        ...(raw.sourceRecord === undefined ? {} : { sourceRecord: raw.sourceRecord }),
      };
    });
}

export function fixture(name: string): Fixture {
  const f = loadFixtures().find((x) => x.name === name);
  if (f === undefined) throw new Error(`no fixture ${name}`);
  return f;
}

/** Independent of the implementation: what an HTML escaper must turn text into. */
export function escaped(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The top-level header lines of a raw message (unfolded), as [lower-case name, value]. */
export function topHeaders(eml: Buffer): [string, string][] {
  const raw = eml.toString('latin1');
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  return head
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')
    .map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()] as [string, string];
    });
}

/** Structural checks every item must pass: 7-bit, CRLF only, no line over 998 octets. */
export function wireProblems(eml: Buffer): string[] {
  const problems: string[] = [];
  for (let i = 0; i < eml.length; i++) {
    const b = eml[i]!;
    if (b >= 0x80) problems.push(`non-ASCII byte at ${i}`);
    if (b === 0x0a && eml[i - 1] !== 0x0d) problems.push(`bare LF at ${i}`);
    if (b === 0x0d && eml[i + 1] !== 0x0a) problems.push(`bare CR at ${i}`);
    if (problems.length > 5) break;
  }
  const long = eml
    .toString('latin1')
    .split('\r\n')
    .findIndex((l) => l.length > 998);
  if (long >= 0) problems.push(`line ${long + 1} longer than 998`);
  return problems;
}

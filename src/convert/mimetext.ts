/**
 * mimetext ships its CommonJS build inside a `"type": "module"` package, so TypeScript (node16) refuses a
 * static import from our CommonJS code. tsx and jest load that build through `require` fine; plain
 * `node dist/...` does not (Node treats the file as ESM), so run the compiled worker with tsx.
 */
import type * as Mimetext from 'mimetext' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mimetext = require('mimetext') as typeof Mimetext;

export const MIMEMessage = mimetext.MIMEMessage;
export type MIMEMessage = Mimetext.MIMEMessage;
export type EnvironmentContext = Mimetext.EnvironmentContext;
export type HeaderField = Mimetext.HeaderField;

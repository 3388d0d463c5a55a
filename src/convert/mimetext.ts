/**
 * mimetext ships its CommonJS build inside a `"type": "module"` package: TypeScript (node16) refuses a static
 * import from our CommonJS code, and plain Node loads that file as an ES module with no exports. tsx and jest
 * load it as CommonJS through `require`; under plain Node the file the package's `require` condition names is
 * compiled here as the CommonJS it is, so the worker also runs as compiled JavaScript without a loader.
 * (jest needs its own `require`: mimetext checks `x.constructor === Object`, which fails across realms.)
 */
import type * as Mimetext from 'mimetext' with { 'resolution-mode': 'import' };
import * as fs from 'node:fs';
import { Module } from 'node:module';
import * as path from 'node:path';

interface CompilableModule {
  exports: unknown;
  filename: string;
  paths: string[];
  _compile(code: string, filename: string): void;
}

function loadCommonJs(file: string): unknown {
  const NodeModule = Module as unknown as { new (id: string): CompilableModule; _nodeModulePaths(dir: string): string[] };
  const m = new NodeModule(file);
  m.filename = file;
  m.paths = NodeModule._nodeModulePaths(path.dirname(file));
  m._compile(fs.readFileSync(file, 'utf8'), file);
  return m.exports;
}

function loadMimetext(): typeof Mimetext {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const viaRequire = require('mimetext') as Partial<typeof Mimetext>;
    if (typeof viaRequire.MIMEMessage === 'function') return viaRequire as typeof Mimetext;
  } catch {
    // plain Node: "require is not defined in ES module scope"; compiled as CommonJS below
  }
  return loadCommonJs(require.resolve('mimetext')) as typeof Mimetext;
}

const mimetext = loadMimetext();

export const MIMEMessage = mimetext.MIMEMessage;
export type MIMEMessage = Mimetext.MIMEMessage;
export type EnvironmentContext = Mimetext.EnvironmentContext;
export type HeaderField = Mimetext.HeaderField;

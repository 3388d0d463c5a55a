import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ToolInstallError } from './errors';
import { TOOLS_DIR } from './paths';

const execFileAsync = promisify(execFile);

/** Where the project keeps its Go-built tools (git-ignored). */
export const TOOLS_BIN = path.join(TOOLS_DIR, 'bin');

/** A pinned Go program built from the Go module proxy with `go install <package>@<version>`. */
export interface GoTool {
  /** Human name in messages, e.g. `Helm`. */
  readonly title: string;
  /** The binary `go install` writes (the package's last path segment), e.g. `helm`. */
  readonly binaryName: string;
  /** The module whose version the binary's build information names, e.g. `helm.sh/helm/v3`. */
  readonly module: string;
  /** The main package, e.g. `helm.sh/helm/v3/cmd/helm`. */
  readonly package: string;
  readonly version: string;
  /** Environment variable naming an existing binary to use instead of building one. */
  readonly envOverride: string;
  /** Where the binary ends up: default `.tools/bin/<binaryName>`. */
  readonly installAs?: string;
}

/**
 * The module version a binary was built from, read from its Go build information (`go version -m`): such
 * binaries often report only a short or placeholder version themselves. Undefined when unreadable.
 */
export async function goBuiltVersion(binary: string, module: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('go', ['version', '-m', binary], { timeout: 30_000 });
    const line = stdout.split('\n').find((l) => l.trim().startsWith('mod\t') && l.includes(`\t${module}\t`));
    return line?.trim().split('\t')[2];
  } catch {
    return undefined;
  }
}

/**
 * Returns the path of `tool` at its pinned version, building it into `.tools/bin` when it is missing or of
 * another version (a fresh clone, CI). Honours the tool's override variable as an explicit binary.
 *
 * @throws ToolInstallError naming Go or the module proxy, with the command to fix it
 */
export async function ensureGoTool(tool: GoTool, log: (m: string) => void): Promise<string> {
  const explicit = process.env[tool.envOverride];
  if (explicit) {
    if (!fs.existsSync(explicit))
      throw new ToolInstallError(
        tool.binaryName,
        `${tool.envOverride}=${explicit} does not exist. Point it at a ${tool.binaryName} binary or unset it to build one.`,
      );
    return explicit;
  }
  const target = tool.installAs ?? path.join(TOOLS_BIN, tool.binaryName);
  if (fs.existsSync(target)) {
    const found = await goBuiltVersion(target, tool.module);
    if (found === tool.version) return target;
    log(`found ${tool.title} ${found ?? '(version unreadable)'} at ${target}; building ${tool.version} instead`);
  } else {
    log(`${tool.title} ${tool.version} not found at ${target}; building it from the Go module proxy (a few minutes the first time)`);
  }
  // Build into a private folder, then move into place: `go install` names the binary after its package.
  fs.mkdirSync(TOOLS_BIN, { recursive: true });
  const gobin = fs.mkdtempSync(path.join(TOOLS_BIN, `.build-${tool.binaryName}-`));
  const args = ['install', `${tool.package}@${tool.version}`];
  log(`$ GOBIN=${gobin} go ${args.join(' ')}`);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOBIN: gobin } });
      child.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new ToolInstallError(
            'go',
            err.code === 'ENOENT'
              ? `Cannot build ${tool.title}: \`go\` is not on PATH. Install Go 1.24 or later (e.g. \`apt-get install golang-go\`), or set ${tool.envOverride} to a ${tool.binaryName} binary.`
              : `Cannot run go (${err.message}).`,
            { cause: err },
          ),
        ),
      );
      child.once('exit', (code, signal) =>
        code === 0
          ? resolve()
          : reject(
              new ToolInstallError(
                'go',
                `\`go install ${tool.package}@${tool.version}\` failed (${signal ? `killed by ${signal}` : `exit code ${String(code)}`}). ` +
                  `Check access to the Go module proxy (GOPROXY), or set ${tool.envOverride} to a ${tool.binaryName} binary.`,
              ),
            ),
      );
    });
    const built = path.join(gobin, path.basename(tool.package));
    fs.renameSync(built, target);
  } finally {
    fs.rmSync(gobin, { recursive: true, force: true });
  }
  const after = await goBuiltVersion(target, tool.module);
  if (after !== tool.version)
    throw new ToolInstallError(
      tool.binaryName,
      `go install reported success but ${target} is ${after ?? 'unreadable'}; expected ${tool.version}.`,
    );
  log(`built ${tool.title} ${tool.version} at ${target}`);
  return target;
}

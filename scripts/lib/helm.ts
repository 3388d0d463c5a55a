import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ToolInstallError } from './errors';
import { TOOLS_DIR } from './paths';

const execFileAsync = promisify(execFile);

/** The pinned Helm release, built from the Go module proxy (`go install`; Helm's go.mod has no replace directives). */
export const HELM_VERSION = 'v3.21.4';
const HELM_MODULE = 'helm.sh/helm/v3';
const HELM_PACKAGE = `${HELM_MODULE}/cmd/helm`;

/** Set this to an existing `helm` binary to skip the project-local build. */
export const HELM_ENV = 'LP_ARCHIVE_HELM';

/** Where the project keeps its Go-built tools (git-ignored). */
export const TOOLS_BIN = path.join(TOOLS_DIR, 'bin');

/**
 * The Helm version a binary was built from, read from its Go build information (`go version -m`): a binary
 * built by `go install` reports only "v3.21" itself. Undefined when unreadable.
 */
async function builtVersion(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('go', ['version', '-m', binary], { timeout: 30_000 });
    const line = stdout.split('\n').find((l) => l.trim().startsWith('mod\t') && l.includes(`\t${HELM_MODULE}\t`));
    return line?.trim().split('\t')[2];
  } catch {
    return undefined;
  }
}

/**
 * Returns the path of a Helm binary of the pinned version, building it into `.tools/bin` with
 * `go install helm.sh/helm/v3/cmd/helm@v3.21.4` when it is missing or another version (a fresh clone, CI).
 * Honours `LP_ARCHIVE_HELM` as an explicit binary.
 *
 * @throws ToolInstallError naming Go or the module proxy, with the command to fix it
 */
export async function ensureHelm(options: { readonly log?: (m: string) => void } = {}): Promise<string> {
  const log = options.log ?? ((m: string) => process.stderr.write(`[helm] ${m}\n`));
  const explicit = process.env[HELM_ENV];
  if (explicit) {
    if (!fs.existsSync(explicit))
      throw new ToolInstallError('helm', `${HELM_ENV}=${explicit} does not exist. Point it at a helm binary or unset it to build one.`);
    return explicit;
  }
  const binary = path.join(TOOLS_BIN, 'helm');
  if (fs.existsSync(binary)) {
    const found = await builtVersion(binary);
    if (found === HELM_VERSION) return binary;
    log(`found Helm ${found ?? '(version unreadable)'} at ${binary}; building ${HELM_VERSION} instead`);
  } else {
    log(`Helm ${HELM_VERSION} not found at ${binary}; building it from the Go module proxy (a few minutes the first time)`);
  }
  fs.mkdirSync(TOOLS_BIN, { recursive: true });
  const args = ['install', `${HELM_PACKAGE}@${HELM_VERSION}`];
  log(`$ GOBIN=${TOOLS_BIN} go ${args.join(' ')}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOBIN: TOOLS_BIN } });
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new ToolInstallError(
          'go',
          err.code === 'ENOENT'
            ? `Cannot build Helm: \`go\` is not on PATH. Install Go 1.24 or later (e.g. \`apt-get install golang-go\`), or set ${HELM_ENV} to a helm binary.`
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
              `\`go install ${HELM_PACKAGE}@${HELM_VERSION}\` failed (${signal ? `killed by ${signal}` : `exit code ${String(code)}`}). ` +
                `Check access to the Go module proxy (GOPROXY), or set ${HELM_ENV} to a helm binary.`,
            ),
          ),
    );
  });
  const after = await builtVersion(binary);
  if (after !== HELM_VERSION)
    throw new ToolInstallError('helm', `go install reported success but ${binary} is ${after ?? 'unreadable'}; expected ${HELM_VERSION}.`);
  log(`built Helm ${HELM_VERSION} at ${binary}`);
  return binary;
}

import { ensureGoTool, TOOLS_BIN, type GoTool } from './go-tool';

export { TOOLS_BIN };

/** The pinned Helm release, built from the Go module proxy (`go install`; Helm's go.mod has no replace directives). */
export const HELM_VERSION = 'v3.21.4';

/** Set this to an existing `helm` binary to skip the project-local build. */
export const HELM_ENV = 'LP_ARCHIVE_HELM';

const HELM: GoTool = {
  title: 'Helm',
  binaryName: 'helm',
  module: 'helm.sh/helm/v3',
  package: 'helm.sh/helm/v3/cmd/helm',
  version: HELM_VERSION,
  envOverride: HELM_ENV,
};

/**
 * Returns the path of a Helm binary of the pinned version, building it into `.tools/bin` with
 * `go install helm.sh/helm/v3/cmd/helm@v3.21.4` when it is missing or another version (a fresh clone, CI).
 * Honours `LP_ARCHIVE_HELM` as an explicit binary.
 *
 * @throws ToolInstallError naming Go or the module proxy, with the command to fix it
 */
export function ensureHelm(options: { readonly log?: (m: string) => void } = {}): Promise<string> {
  return ensureGoTool(HELM, options.log ?? ((m: string) => process.stderr.write(`[helm] ${m}\n`)));
}

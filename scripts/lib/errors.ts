/**
 * Typed errors of the local stack tooling. Every message names the cause and the fix, because the
 * reader is a developer (or CI log) with nothing else to go on.
 */

/** Base class so callers can tell stack problems from bugs. */
export class StackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A port the stack needs is taken by another process. */
export class PortInUseError extends StackError {
  constructor(
    readonly port: number,
    readonly what: string,
    readonly configKey: string | undefined,
  ) {
    const change = configKey ? `change \`${configKey}\` in temporal-dev.yaml` : 'choose another port';
    super(`Port ${port} (${what}) is already in use by another process. ` + `Stop it (e.g. \`lsof -i :${port}\`) or ${change}.`);
  }
}

/** A tool (Temporal CLI, python3, pip) could not be found or installed. */
export class ToolInstallError extends StackError {
  constructor(
    readonly tool: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A service process exited before it became healthy. */
export class ServiceExitedError extends StackError {
  constructor(
    readonly service: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly recentOutput: readonly string[],
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${String(exitCode)}`;
    const tail = recentOutput.length > 0 ? `\nLast output:\n  ${recentOutput.join('\n  ')}` : ' (no output)';
    super(`${service} ${how} before it became healthy.${tail}`);
  }
}

/** A service did not answer its health check in time. */
export class HealthCheckTimeoutError extends StackError {
  constructor(
    readonly service: string,
    readonly target: string,
    readonly timeoutMs: number,
    readonly lastProblem: string | undefined,
    readonly recentOutput: readonly string[] = [],
  ) {
    super(
      `${service} did not become healthy at ${target} within ${Math.round(timeoutMs / 1000)} s` +
        (lastProblem ? ` (last problem: ${lastProblem})` : '') +
        '. Check its log lines; a slow machine may need a longer timeout.' +
        // A process started with its log silenced still shows what it said last.
        (recentOutput.length > 0 ? `\nLast output:\n  ${recentOutput.join('\n  ')}` : ''),
    );
  }
}

/** temporal-dev.yaml is missing or does not match the schema. */
export class StackConfigError extends StackError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} is not valid:\n  - ${problems.join('\n  - ')}`);
  }
}

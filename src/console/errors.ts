/** A console setting is missing or wrong: refused at start, naming the variable and the fix. */
export class ConsoleConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConsoleConfigError';
  }
}

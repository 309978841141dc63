/**
 * The run's warnings, printed and counted in one place, so that the
 * `warnings` output and the summary's count agree with the log: entries
 * skipped, CloudFront, the pull-request comment and the runner's files alike.
 * The printer is injected because only a few files may import @actions/core.
 */
export class Warnings {
  private printed = 0;

  constructor(private readonly print: (message: string, title: string | undefined) => void) {}

  warn(message: string, title?: string): void {
    this.printed += 1;
    this.print(message, title);
  }

  get count(): number {
    return this.printed;
  }
}

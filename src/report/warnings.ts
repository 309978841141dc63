/**
 * The run's warnings, printed and counted in one place, so that the
 * `warnings` output and the summary's count agree with the log: entries
 * skipped, CloudFront, the pull-request comment and the runner's files alike.
 * The printer is injected because only a few files may import @actions/core.
 */
export class Warnings {
  private printed = 0;

  constructor(private readonly print: (message: string, title: string | undefined) => void) {}

  /** `count`: how many warnings one printed line stands for (archived objects skipped, say). */
  warn(message: string, title?: string, count = 1): void {
    this.printed += count;
    this.print(message, title);
  }

  get count(): number {
    return this.printed;
  }
}

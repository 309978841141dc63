import { rmSync } from 'node:fs';

/**
 * The temporary files of a pull's downloads in flight. The process owner
 * removes them when the job is cancelled, so no partial download is left.
 */
export class TempFiles {
  private readonly inFlight = new Set<string>();

  add(temp: string): void {
    this.inFlight.add(temp);
  }

  /** The file is no longer this registry's: placed, or removed by the caller. */
  release(temp: string): void {
    this.inFlight.delete(temp);
  }

  /** Synchronous, for a process that is about to exit. */
  removeAll(): void {
    for (const temp of this.inFlight) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // Best effort: the run is going away.
      }
    }
    this.inFlight.clear();
  }
}

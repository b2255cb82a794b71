/**
 * When each document is linted: a change schedules a lint after the debounce delay, and a newer
 * change before it starts replaces it. Stale results are the caller's to drop (it compares versions);
 * this module only decides when to start. Knows nothing about LSP.
 */
export class LintQueue {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly run: (uri: string) => void) {}

  /** Lint `uri` after `delayMs`, replacing a lint of it that has not started yet. */
  schedule(uri: string, delayMs: number): void {
    this.cancel(uri);
    if (delayMs <= 0) {
      this.run(uri);
      return;
    }
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.run(uri);
      }, delayMs),
    );
  }

  cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/** Runs `run` once nothing has called `poke` for `delayMs`: "once the editor is idle". */
export class IdleTrigger {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly run: () => void,
  ) {}

  poke(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, this.delayMs);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}

/**
 * When to restart a language server that died: soon at first, then later and later, and not at all
 * once it keeps dying (a crash loop helps no one; the user is told once). Pure, so it is tested
 * without VS Code.
 */
export interface RestartDecision {
  /** Restart after this many milliseconds, or give up when undefined. */
  delayMs?: number;
  /** Crashes counted within the window, this one included. */
  crashes: number;
}

export class RestartPolicy {
  private crashTimes: number[] = [];

  constructor(
    /** Crashes within `windowMs` after which the server stays down. */
    private readonly maxCrashes = 5,
    private readonly windowMs = 3 * 60_000,
    private readonly firstDelayMs = 500,
    private readonly maxDelayMs = 8_000,
  ) {}

  onCrash(now: number): RestartDecision {
    this.crashTimes = [...this.crashTimes.filter((time) => now - time < this.windowMs), now];
    const crashes = this.crashTimes.length;
    if (crashes >= this.maxCrashes) return { crashes };
    return { crashes, delayMs: Math.min(this.firstDelayMs * 2 ** (crashes - 1), this.maxDelayMs) };
  }

  /** A deliberate restart (or a trust change) starts counting afresh. */
  reset(): void {
    this.crashTimes = [];
  }
}

/**
 * The rate limiter model of the benchmark's IAM endpoint: up to `burst` requests may arrive at once,
 * then on average `ratePerSecond`. AWS does not publish IAM's limits; a token bucket is how API
 * throttling is usually described, and it makes bursts cheap and sustained overload throttle.
 * Time comes in as an argument, so the bucket itself never reads a clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    startMs: number,
  ) {
    this.tokens = burst;
    this.updatedAtMs = startMs;
  }

  /** Takes one token if there is one: true means the request is let through. */
  tryTake(nowMs: number): boolean {
    const elapsedMs = Math.max(0, nowMs - this.updatedAtMs);
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.ratePerSecond) / 1000);
    this.updatedAtMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

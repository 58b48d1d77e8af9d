/** At most `max` sends per `windowMs` for one visitor connection: a flood gets a clear error, not a queue. */
export class SendBudget {
  private stamps: number[] = [];

  constructor(private readonly max: number, private readonly windowMs: number) {}

  take(now = Date.now()): boolean {
    this.stamps = this.stamps.filter((t) => t > now - this.windowMs);
    if (this.stamps.length >= this.max) return false;
    this.stamps.push(now);
    return true;
  }
}

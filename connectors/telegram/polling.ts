import { TelegramError, type Telegram } from 'telegraf';
import type { ConnectorContext } from '../contract.js';
import { TgUpdate } from './inbound.js';

/** Update ids are per bot: a channel whose token now names another bot starts from that bot's own offset. */
export const offsetKey = (botId: number) => `offset:${botId}`;
const ALLOWED_UPDATES = ['message', 'edited_message'] as const;
/** An update that fails this many times in a row is skipped (and logged) so one bad update cannot stall the bot. */
const MAX_ATTEMPTS = 5;

/**
 * Long polling with a durable offset. Telegraf's own `launch()` polling confirms a batch before its
 * handlers finish and keeps the offset in memory only; here the offset is saved after each update's
 * ingest has committed, so a crash re-delivers the rest and idempotent ingest absorbs any repeat.
 */
export class TelegramPoller {
  private readonly abort = new AbortController();
  private readonly attempts = new Map<number, number>();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly telegram: Telegram,
    private readonly ctx: ConnectorContext,
    private readonly handle: (u: TgUpdate) => Promise<void>,
    private readonly opts: { botId: number; timeoutSeconds: number; onHealthy(): void; onTrouble(reason: string, fatal: boolean): void },
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let offset = Number((await this.ctx.state.get(offsetKey(this.opts.botId))) ?? 0);
    let failures = 0;
    let shown: 'nothing' | 'healthy' | 'trouble' = 'nothing';
    while (!this.stopped) {
      try {
        const updates = (await this.telegram.callApi(
          'getUpdates',
          { offset, timeout: this.opts.timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
          { signal: this.abort.signal as never },
        )) as unknown[];
        if (shown !== 'healthy') this.opts.onHealthy();
        shown = 'healthy';
        failures = 0;
        for (const raw of updates) {
          if (this.stopped) return;
          offset = await this.process(raw, offset);
        }
      } catch (err) {
        if (this.stopped) return;
        failures++;
        const e = err as TelegramError;
        if (e instanceof TelegramError && e.code === 401) {
          return this.opts.onTrouble('Telegram rejected the bot token (401 Unauthorized): check it with @BotFather', true);
        }
        const retryAfter = e instanceof TelegramError && e.code === 429 ? Number(e.parameters?.retry_after ?? 5) : null;
        const reason = e instanceof TelegramError && e.code === 409
          ? 'Another getUpdates or a webhook uses this bot (409 Conflict): is the token used by another channel or program?'
          : `Receiving updates failed: ${e.message}`;
        this.ctx.logger.warn({ err, failures }, 'telegram polling failed; retrying');
        if (failures >= 3 && shown !== 'trouble') {
          shown = 'trouble';
          this.opts.onTrouble(reason, false);
        }
        await this.sleep(retryAfter !== null ? retryAfter * 1000 : Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /** Handles one update, then moves the durable offset past it; a failure leaves the offset so it comes again. */
  private async process(raw: unknown, offset: number): Promise<number> {
    const parsed = TgUpdate.safeParse(raw);
    const id = parsed.success ? parsed.data.update_id : Number((raw as { update_id?: unknown })?.update_id);
    if (!Number.isInteger(id)) throw new Error('getUpdates answered an update without update_id');
    if (id < offset) return offset;
    if (parsed.success) {
      try {
        await this.handle(parsed.data);
        this.attempts.delete(id);
      } catch (err) {
        const n = (this.attempts.get(id) ?? 0) + 1;
        this.attempts.set(id, n);
        if (n < MAX_ATTEMPTS) throw err;
        this.ctx.logger.error({ err, updateId: id }, 'telegram update skipped after repeated failures');
      }
    } else {
      this.ctx.logger.warn({ updateId: id, issue: parsed.error.issues[0]?.message }, 'telegram update not understood; skipped');
    }
    await this.ctx.state.set(offsetKey(this.opts.botId), String(id + 1));
    return id + 1;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}

export { ALLOWED_UPDATES };

import { SeededRandom } from '../../shared/random';
import type { Tenant } from '../../shared/tenant';
import { planChat, type ChatPlan, type ChatPlanContext, type ChatPlanOverrides } from './chat-plan';
import { mixSeed } from './plan';

/** Index offsets keep generated, live and added chats on separate seed streams (and chat ids apart). */
const LIVE_INDEX_BASE = 10_000_000;
const ADDED_INDEX_BASE = 20_000_000;

export interface ChatStoreOptions {
  readonly seed: number;
  /** Generated ended chats, spread over `days` before `anchorTime`. */
  readonly chats: number;
  readonly days: number;
  readonly anchorTime: number;
  /** Live mode: chats ending per minute from the emulator's start on (0 = off). */
  readonly livePerMinute: number;
}

/**
 * The legacy chats of the emulated account (Engagement History), sorted by end time. Chats only ever
 * exist ended; a chat is searchable from its `visibleAt` on. Live chats are materialised lazily from the
 * clock, as the messaging store does.
 */
export class ChatStore {
  private readonly ended: ChatPlan[] = [];
  private readonly byChatId = new Map<string, ChatPlan>();
  private liveMaterialised = 0;
  private added = 0;

  constructor(
    private readonly ctx: ChatPlanContext,
    private readonly o: ChatStoreOptions,
    private readonly liveStart: number,
    private readonly now: () => number,
  ) {
    const spanMs = o.days * 24 * 60 * 60 * 1000;
    const timeRnd = new SeededRandom(mixSeed(o.seed ^ 0xc4a7, -1));
    const plans: ChatPlan[] = [];
    for (let i = 0; i < o.chats; i++) plans.push(planChat(ctx, o.seed, i, Math.floor(o.anchorTime - timeRnd.next() * spanMs)));
    plans.sort(byEnd);
    for (const p of plans) {
      this.ended.push(p);
      this.byChatId.set(p.chatId, p);
    }
  }

  get tenant(): Tenant {
    return this.ctx.tenant;
  }

  get size(): number {
    this.advance();
    return this.ended.length;
  }

  /** Adds a chat ending at `endTime` (tests); searchable after its drawn delay unless `ingestionDelayMs` says otherwise. */
  add(endTime: number, overrides: ChatPlanOverrides = {}): ChatPlan {
    const plan = planChat(this.ctx, this.o.seed, ADDED_INDEX_BASE + this.added++, endTime, overrides);
    this.insert(plan);
    return plan;
  }

  /** The chat with this chat id (the engagement id without its account prefix). */
  get(chatId: string): ChatPlan | undefined {
    this.advance();
    return this.byChatId.get(chatId);
  }

  /** Ended chats with end in [from, to] (inclusive), in end order; searchable or not. */
  endedBetween(from: number, to: number): ChatPlan[] {
    this.advance();
    const out: ChatPlan[] = [];
    for (let i = lowerBound(this.ended, from); i < this.ended.length; i++) {
      const p = this.ended[i];
      if (!p || p.endTime > to) break;
      out.push(p);
    }
    return out;
  }

  /** Every chat search can see now (started in [from, to]); a start range is what Engagement History filters on. */
  searchableStartedBetween(from: number, to: number): ChatPlan[] {
    this.advance();
    const now = this.now();
    // Ordered by end, so scan from the first chat that could have started at `from` (ended at or after it).
    return this.endedBetween(from, Infinity).filter((p) => p.startTime >= from && p.startTime <= to && p.visibleAt <= now);
  }

  private advance(): void {
    const perMinute = this.o.livePerMinute;
    if (perMinute <= 0) return;
    const interval = 60_000 / perMinute;
    const now = this.now();
    for (;;) {
      const endTime = Math.floor(this.liveStart + (this.liveMaterialised + 1) * interval);
      if (endTime > now) break;
      this.insert(planChat(this.ctx, this.o.seed, LIVE_INDEX_BASE + this.liveMaterialised, endTime));
      this.liveMaterialised++;
    }
  }

  private insert(p: ChatPlan): void {
    this.ended.splice(upperBound(this.ended, p.endTime), 0, p);
    this.byChatId.set(p.chatId, p);
  }
}

function byEnd(a: ChatPlan, b: ChatPlan): number {
  return a.endTime - b.endTime || (a.chatId < b.chatId ? -1 : 1);
}

/** First index whose endTime >= t. */
function lowerBound(a: readonly ChatPlan[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid]?.endTime ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose endTime > t. */
function upperBound(a: readonly ChatPlan[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid]?.endTime ?? Infinity) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

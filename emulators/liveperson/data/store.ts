import { generateTenant, type Tenant } from '../../shared/tenant';
import type { ResolvedOptions } from '../options';
import {
  mixSeed,
  planConversation,
  reopenedPlan,
  truthOf,
  type ConversationPlan,
  type ConversationTruth,
  type PlanContext,
  type PlanOverrides,
} from './plan';
import { SeededRandom } from '../../shared/random';

/** Index offsets keep generated, live and added conversations on separate seed streams. */
const LIVE_INDEX_BASE = 10_000_000;
const ADDED_INDEX_BASE = 20_000_000;

/**
 * All conversations of the emulated account, closed ones sorted by end time (binary search for range
 * queries). Live conversations are materialised lazily from the clock, so no timers are needed.
 */
export class ConversationStore {
  readonly tenant: Tenant;
  private readonly ctx: PlanContext;
  private readonly closed: ConversationPlan[] = [];
  private readonly byId = new Map<string, ConversationPlan>();
  private liveMaterialised = 0;
  private added = 0;
  /** Live conversations due to be re-opened and closed again, by their new end time (ascending). */
  private readonly pendingReopens: { readonly at: number; readonly id: string; readonly addMessages: number }[] = [];

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly liveStart: number,
    private readonly now: () => number,
  ) {
    this.tenant = generateTenant(opts.seed);
    this.ctx = {
      accountId: opts.accountId,
      tenant: this.tenant,
      maxMessages: opts.maxMessages,
      longConversationRate: opts.longConversationRate,
      maxLongConversationDays: opts.maxLongConversationDays,
      ingestionLagMs: opts.ingestionLagMs,
    };
    const spanMs = opts.days * 24 * 60 * 60 * 1000;
    const timeRnd = new SeededRandom(mixSeed(opts.seed, -1));
    const plans: ConversationPlan[] = [];
    for (let i = 0; i < opts.conversations; i++) {
      const endTime = Math.floor(opts.anchorTime - timeRnd.next() * spanMs);
      plans.push(planConversation(this.ctx, opts.seed, i, endTime));
    }
    plans.sort(byEnd);
    for (const p of plans) this.index(p);
  }

  /** Brings live mode up to `now`: every conversation that has closed by now exists. */
  advance(): void {
    const perMinute = this.opts.livePerMinute;
    if (perMinute <= 0) return;
    const interval = 60_000 / perMinute;
    const now = this.now();
    for (;;) {
      const k = this.liveMaterialised;
      const endTime = Math.floor(this.liveStart + (k + 1) * interval);
      if (endTime > now) break;
      const plan = planConversation(this.ctx, this.opts.seed, LIVE_INDEX_BASE + k, endTime);
      this.insert(plan);
      this.liveMaterialised++;
      const rnd = new SeededRandom(mixSeed(this.opts.seed ^ 0x4e0e, k));
      if (this.opts.reopenRate > 0 && rnd.chance(this.opts.reopenRate)) {
        const at = endTime + Math.floor(this.opts.reopenAfterMs * (0.5 + rnd.next()));
        this.pendingReopens.push({ at, id: plan.conversationId, addMessages: rnd.int(1, 5) });
        this.pendingReopens.sort((a, b) => a.at - b.at);
      }
    }
    while (this.pendingReopens.length > 0 && (this.pendingReopens[0]?.at ?? Infinity) <= now) {
      const due = this.pendingReopens.shift();
      if (due) this.reopen(due.id, due.at, due.addMessages);
    }
  }

  /**
   * Re-opens a closed conversation and closes it again at `endTime`: the same id, a later end time, more
   * messages. Search by end time then finds it only at its new end (LivePerson keeps one record per conversation).
   */
  reopen(conversationId: string, endTime: number, addMessages = 2): ConversationPlan {
    const old = this.byId.get(conversationId);
    if (!old) throw new RangeError(`no conversation ${conversationId}`);
    const plan = reopenedPlan(old, endTime, addMessages, this.opts.ingestionLagMs);
    const at = this.closed.indexOf(old);
    if (at >= 0) this.closed.splice(at, 1);
    this.insert(plan);
    return plan;
  }

  /** Adds a conversation closing at `endTime` (for live tests); visible after the ingestion lag unless told otherwise. */
  add(endTime: number, overrides: PlanOverrides & { readonly visibleAt?: number } = {}): ConversationPlan {
    const plan = planConversation(this.ctx, this.opts.seed, ADDED_INDEX_BASE + this.added++, endTime, overrides);
    const withVisibility = overrides.visibleAt === undefined ? plan : { ...plan, visibleAt: overrides.visibleAt };
    this.insert(withVisibility);
    return withVisibility;
  }

  /**
   * Test control: hides a closed conversation from every search and get-by-id (`visibleAt` +∞), or shows it
   * from `now` on, as if LivePerson's index had missed it for a while.
   */
  setVisibleAt(conversationId: string, visibleAt: number): ConversationPlan {
    const old = this.byId.get(conversationId);
    if (!old) throw new RangeError(`no conversation ${conversationId}`);
    const plan = { ...old, visibleAt };
    this.closed[this.closed.indexOf(old)] = plan;
    this.byId.set(conversationId, plan);
    return plan;
  }

  get(conversationId: string): ConversationPlan | undefined {
    this.advance();
    return this.byId.get(conversationId);
  }

  /** Closed conversations with end in [from, to] (inclusive), in end order; all of them, visible or not. */
  closedBetween(from: number, to: number): ConversationPlan[] {
    this.advance();
    const lo = lowerBound(this.closed, from);
    const out: ConversationPlan[] = [];
    for (let i = lo; i < this.closed.length; i++) {
      const p = this.closed[i];
      if (!p || p.endTime > to) break;
      out.push(p);
    }
    return out;
  }

  /** Everything search can see now. */
  visibleBetween(from: number, to: number): ConversationPlan[] {
    const now = this.now();
    return this.closedBetween(from, to).filter((p) => p.visibleAt <= now);
  }

  truth(from: number, to: number): ConversationTruth[] {
    return this.closedBetween(from, to).map(truthOf);
  }

  get size(): number {
    return this.closed.length;
  }

  private insert(p: ConversationPlan): void {
    const at = upperBound(this.closed, p.endTime);
    this.closed.splice(at, 0, p);
    this.byId.set(p.conversationId, p);
  }

  private index(p: ConversationPlan): void {
    this.closed.push(p);
    this.byId.set(p.conversationId, p);
  }
}

function byEnd(a: ConversationPlan, b: ConversationPlan): number {
  return a.endTime - b.endTime || (a.conversationId < b.conversationId ? -1 : 1);
}

/** First index whose endTime >= t. */
function lowerBound(a: readonly ConversationPlan[], t: number): number {
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
function upperBound(a: readonly ConversationPlan[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid]?.endTime ?? Infinity) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

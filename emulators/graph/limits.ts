import type { NextFunction, Request, Response } from 'express';
import { SeededRandom } from '../shared/random';
import { sendGraphError } from './errors';
import type { Mailbox } from './store';
import type { FaultConfig, OnceFault, ResolvedEmulatorOptions } from './types';

export interface MailboxStats {
  requests: number;
  throttled: number;
  throttledConcurrency: number;
  throttledRequestBudget: number;
  throttledUploadBudget: number;
  faultsInjected: number;
  inFlight: number;
  /** Highest number of requests in flight at once, counting ones then refused for concurrency. */
  peakConcurrency: number;
  bytesUploaded: number;
}

const newStats = (): MailboxStats => ({
  requests: 0,
  throttled: 0,
  throttledConcurrency: 0,
  throttledRequestBudget: 0,
  throttledUploadBudget: 0,
  faultsInjected: 0,
  inFlight: 0,
  peakConcurrency: 0,
  bytesUploaded: 0,
});

function newFaultCounts(): MailboxLimits['faultCounts'] {
  return { '429': 0, '503': 0, '504': 0, 'lost-response': 0, slow: 0 };
}

/** Ways a served create can go wrong after the item is stored. */
export type LostResponseMode = 'destroy' | '500';

/**
 * Outlook's per app + mailbox limits (concurrency, requests per window, uploaded bytes per window) and
 * fault injection. Runs after the mailbox is resolved, before the body is read, like the real front door.
 */
export class MailboxLimits {
  private readonly stats = new Map<string, MailboxStats>();
  private readonly requestTimes = new Map<string, number[]>();
  private readonly uploads = new Map<string, { t: number; bytes: number }[]>();
  private faults: FaultConfig = {};
  private onceLeft: { fault: OnceFault; left: number }[] = [];
  private dice = new SeededRandom(1);
  totalRequests = 0;
  totalThrottled = 0;
  /** Injected faults by kind since the last stats reset (slow requests included), for fault-suite tables. */
  faultCounts: Record<'429' | '503' | '504' | 'lost-response' | 'slow', number> = newFaultCounts();

  constructor(
    private readonly opts: ResolvedEmulatorOptions,
    faults: FaultConfig = {},
  ) {
    this.setFaults(faults);
  }

  setFaults(f: FaultConfig): void {
    this.faults = f;
    this.onceLeft = (f.once ?? []).map((fault) => ({ fault, left: fault.count ?? 1 }));
    this.dice = new SeededRandom(f.seed ?? 1);
  }

  getFaults(): FaultConfig & { readonly onceRemaining: readonly { fault: OnceFault; left: number }[] } {
    return { ...this.faults, onceRemaining: this.onceLeft.filter((o) => o.left > 0) };
  }

  statsFor(userId: string): MailboxStats {
    let s = this.stats.get(userId);
    if (!s) {
      s = newStats();
      this.stats.set(userId, s);
    }
    return s;
  }

  allStats(): ReadonlyMap<string, MailboxStats> {
    return this.stats;
  }

  resetStats(): void {
    this.stats.clear();
    this.requestTimes.clear();
    this.uploads.clear();
    this.totalRequests = 0;
    this.totalThrottled = 0;
    this.faultCounts = newFaultCounts();
  }

  private matchesMailbox(mb: Mailbox, ref: string | undefined): boolean {
    if (ref === undefined) return true;
    const r = ref.toLowerCase();
    return mb.user.id.toLowerCase() === r || mb.user.mail.toLowerCase() === r || mb.user.userPrincipalName.toLowerCase() === r;
  }

  private pickFault(mb: Mailbox, req: Request): { kind: OnceFault['fault']; retryAfter?: number } | undefined {
    for (const o of this.onceLeft) {
      const f = o.fault;
      if (o.left <= 0) continue;
      if (!this.matchesMailbox(mb, f.mailbox)) continue;
      if (f.method && f.method.toUpperCase() !== req.method) continue;
      if (f.pathContains && !req.originalUrl.includes(f.pathContains)) continue;
      if (f.fault === 'lost-response' && !isCreate(req)) continue;
      o.left--;
      return { kind: f.fault, retryAfter: f.retryAfterSeconds };
    }
    const scoped = !this.faults.mailboxes || this.faults.mailboxes.some((m) => this.matchesMailbox(mb, m));
    if (!scoped) return undefined;
    const roll = (rate: number | undefined): boolean => rate !== undefined && rate > 0 && this.dice.next() < rate;
    if (roll(this.faults.rate429)) return { kind: '429' };
    if (roll(this.faults.rate503)) return { kind: '503' };
    if (roll(this.faults.rate504)) return { kind: '504' };
    if (isCreate(req) && roll(this.faults.lostResponseRate)) return { kind: 'lost-response' };
    return undefined;
  }

  private throttle(res: Response, s: MailboxStats, retryAfterSeconds: number, message: string): void {
    s.throttled++;
    this.totalThrottled++;
    sendGraphError(res, 429, 'ApplicationThrottled', message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }

  /** Express middleware; expects `res.locals.mailbox` set by the mailbox resolver. */
  gate = (req: Request, res: Response, next: NextFunction): void => {
    const mb = res.locals.mailbox as Mailbox;
    const s = this.statsFor(mb.user.id);
    const now = Date.now();
    s.requests++;
    s.inFlight++;
    s.peakConcurrency = Math.max(s.peakConcurrency, s.inFlight);
    let done = false;
    const release = (): void => {
      if (done) return;
      done = true;
      s.inFlight--;
    };
    res.once('finish', release);
    res.once('close', release);

    // Throttled requests count against the budget too, as on Graph.
    const times = (this.requestTimes.get(mb.user.id) ?? []).filter((t) => t > now - this.opts.requestWindowMs);
    times.push(now);
    this.requestTimes.set(mb.user.id, times);

    if (s.inFlight > this.opts.mailboxConcurrency) {
      s.throttledConcurrency++;
      this.throttle(res, s, 1, 'Application is over its MailboxConcurrency limit.');
      return;
    }
    if (times.length > this.opts.requestBudget) {
      s.throttledRequestBudget++;
      this.throttle(res, s, ((times[0] ?? now) + this.opts.requestWindowMs - now) / 1000, 'Application is over its MailboxRequests limit.');
      return;
    }
    const bytes = ['POST', 'PUT', 'PATCH'].includes(req.method) ? Number(req.header('content-length') ?? 0) || 0 : 0;
    if (bytes > 0) {
      const ups = (this.uploads.get(mb.user.id) ?? []).filter((u) => u.t > now - this.opts.uploadWindowMs);
      const used = ups.reduce((n, u) => n + u.bytes, 0);
      if (used + bytes > this.opts.uploadBudgetBytes && ups.length > 0) {
        this.uploads.set(mb.user.id, ups);
        s.throttledUploadBudget++;
        this.throttle(res, s, ((ups[0]?.t ?? now) + this.opts.uploadWindowMs - now) / 1000, 'Application is over its IncomingBytes limit.');
        return;
      }
      ups.push({ t: now, bytes });
      this.uploads.set(mb.user.id, ups);
      s.bytesUploaded += bytes;
    }

    const fault = this.pickFault(mb, req);
    if (fault) {
      s.faultsInjected++;
      this.faultCounts[fault.kind]++;
      const retryAfter = String(fault.retryAfter ?? this.faults.retryAfterSeconds ?? 1);
      if (fault.kind === '429') {
        s.throttled++;
        this.totalThrottled++;
        sendGraphError(res, 429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': retryAfter });
        return;
      }
      if (fault.kind === '503') {
        sendGraphError(res, 503, 'ErrorServerBusy', 'The server cannot service this request right now. Try again later.', {
          'Retry-After': retryAfter,
        });
        return;
      }
      if (fault.kind === '504') {
        sendGraphError(res, 504, 'GatewayTimeout', 'The gateway did not receive a timely response.');
        return;
      }
      res.locals.loseResponse = (this.faults.lostResponseMode ?? 'destroy') satisfies LostResponseMode;
    }
    let delay = (this.faults.latencyMs ?? this.opts.latencyMs) + (isCreate(req) ? (this.faults.createLatencyMs ?? 0) : 0);
    const slowRate = this.faults.slowRate ?? 0;
    if (slowRate > 0 && this.dice.next() < slowRate) {
      this.faultCounts.slow++;
      delay += this.faults.slowMs ?? 2000;
    }
    if (delay > 0) {
      setTimeout(next, delay);
      return;
    }
    next();
  };
}

/** Requests that create something (the only ones whose response can be "lost" after the effect). */
function isCreate(req: Request): boolean {
  const path = req.originalUrl.split('?')[0] ?? '';
  return req.method === 'POST' && /\/(messages|attachments|childFolders)\/?$/i.test(path);
}

/**
 * Sends a create's success response, unless a fault says the response is lost: then the item stays stored
 * and the client sees a dropped connection or a 500, exactly the ambiguous outcome retries must survive.
 */
export function sendCreated(res: Response, body: unknown, status = 201, headers: Record<string, string> = {}): void {
  const lose = res.locals.loseResponse as LostResponseMode | undefined;
  if (lose === 'destroy') {
    res.socket?.destroy();
    return;
  }
  if (lose === '500') {
    sendGraphError(res, 500, 'InternalServerError', 'An internal server error occurred. The operation failed.');
    return;
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(status).json(body);
}

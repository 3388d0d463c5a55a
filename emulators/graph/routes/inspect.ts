import { Router } from 'express';
import { z } from 'zod';
import { findUser, type EmulatorContext } from '../context';
import { GraphHttpError } from '../errors';
import { IMPORT_KEY_NORMALISED } from '../messages-model';
import { sha256, type Mailbox } from '../store';
import type { FaultConfig } from '../types';

const rate = z.number().min(0).max(1).optional();
const faultSchema = z.strictObject({
  rate429: rate,
  rate503: rate,
  rate504: rate,
  lostResponseRate: rate,
  lostResponseMode: z.enum(['destroy', '500']).optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  slowRate: rate,
  slowMs: z.number().int().min(0).max(600_000).optional(),
  mailboxes: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
  once: z
    .array(
      z.strictObject({
        fault: z.enum(['429', '503', '504', 'lost-response']),
        count: z.number().int().min(1).optional(),
        mailbox: z.string().optional(),
        method: z.string().optional(),
        pathContains: z.string().optional(),
        retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
      }),
    )
    .optional(),
});

const mailboxControlSchema = z.strictObject({
  /** `no-mailbox`: the user loses their licence (mail paths answer MailboxNotEnabledForRESTAPI); `ok`: gets it back. */
  state: z.enum(['ok', 'no-mailbox', 'blocked-by-policy']).optional(),
  /** Mailbox quota in bytes (creates beyond it answer ErrorQuotaExceeded); null returns to the emulator-wide quota. */
  quotaBytes: z.number().int().min(0).nullable().optional(),
});

/** Parses a fault config, naming the bad field. */
export function parseFaults(body: unknown): FaultConfig {
  const parsed = faultSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GraphHttpError(
      400,
      'InvalidFaultConfig',
      `Bad fault config at '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'invalid'}.`,
    );
  }
  return parsed.data;
}

function mailboxView(mb: Mailbox, bodies: boolean): Record<string, unknown> {
  return {
    userId: mb.user.id,
    mail: mb.user.mail,
    upn: mb.user.userPrincipalName,
    sizeBytes: mb.sizeBytes,
    folders: [...mb.folders.values()].map((f) => ({
      id: f.id,
      displayName: f.displayName,
      parentFolderId: f.parentFolderId,
      wellKnownName: f.wellKnownName ?? null,
      items: [...mb.messages.values()]
        .filter((m) => m.folderId === f.id)
        .map((m) => ({
          id: m.id,
          subject: m.subject,
          isDraft: m.isDraft,
          isRead: m.isRead,
          internetMessageId: m.internetMessageId,
          importKey: m.extendedProperties.get(IMPORT_KEY_NORMALISED)?.value ?? null,
          receivedDateTime: m.receivedDateTime,
          sentDateTime: m.sentDateTime,
          from: m.from?.emailAddress ?? null,
          toRecipients: m.toRecipients.map((r) => r.emailAddress),
          ccRecipients: m.ccRecipients.map((r) => r.emailAddress),
          internetMessageHeaders: m.internetMessageHeaders,
          attachments: m.attachments.map((a) => ({
            name: a.name,
            contentType: a.contentType,
            size: a.bytes.length,
            isInline: a.isInline,
            sha256: sha256(a.bytes),
          })),
          ...(bodies ? { body: m.body, ...(m.mime !== undefined ? { mime: m.mime } : {}) } : {}),
        })),
    })),
  };
}

/** `/_emulator/*`: inspection and fault injection for tests and the demo (no auth, localhost only). */
export function inspectRouter(ctx: EmulatorContext): Router {
  const r = Router();
  r.get('/mailboxes', (req, res) => {
    const bodies = req.query.bodies === '1' || req.query.bodies === 'true';
    const ref = typeof req.query.mailbox === 'string' ? req.query.mailbox : undefined;
    const user = ref === undefined ? undefined : (findUser(ctx, ref) ?? ctx.users.find((u) => u.mail.toLowerCase() === ref.toLowerCase()));
    if (ref !== undefined && !user) throw new GraphHttpError(404, 'Request_ResourceNotFound', `No user '${ref}'.`);
    const boxes = ctx.store.all().filter((mb) => !user || mb.user.id === user.id);
    res.json(boxes.map((mb) => mailboxView(mb, bodies)));
  });
  r.get('/directory', (_req, res) => {
    res.json(
      ctx.users.map((u) => ({
        id: u.id,
        userPrincipalName: u.userPrincipalName,
        mail: u.mail,
        proxyAddresses: u.proxyAddresses,
        mailbox: ctx.mailboxStates.get(u.id) ?? u.mailbox,
        copy: u.copy ?? 1,
        ...(u.copyOf !== undefined ? { copyOf: u.copyOf } : {}),
      })),
    );
  });
  /**
   * Changes one user's mailbox at run time: `{ "state": "no-mailbox" }` (the user loses their mailbox mid-run;
   * items already imported stay visible to inspection), `{ "state": "ok" }`, `{ "quotaBytes": 200000 }` (a full
   * mailbox). The user is an object id, UPN or mail.
   */
  r.post('/users/:userRef/mailbox', (req, res) => {
    const ref = String(req.params.userRef);
    const user = findUser(ctx, ref) ?? ctx.users.find((u) => u.mail.toLowerCase() === ref.toLowerCase());
    if (!user) throw new GraphHttpError(404, 'Request_ResourceNotFound', `No user '${ref}' in the emulated directory.`);
    const parsed = mailboxControlSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GraphHttpError(
        400,
        'InvalidMailboxControl',
        `Bad mailbox control at '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'invalid'}.`,
      );
    }
    const { state, quotaBytes } = parsed.data;
    if (state !== undefined) {
      ctx.mailboxStates.set(user.id, state);
      if (state === 'ok') ctx.store.ensure(user);
    }
    if (quotaBytes !== undefined) ctx.store.setQuota(user.id, quotaBytes ?? undefined);
    const mb = ctx.store.get(user.id);
    res.json({
      userId: user.id,
      mail: user.mail,
      state: ctx.mailboxStates.get(user.id) ?? user.mailbox,
      quotaBytes: Number.isFinite(ctx.store.quotaOf(user.id)) ? ctx.store.quotaOf(user.id) : null,
      sizeBytes: mb?.sizeBytes ?? 0,
    });
  });
  r.get('/stats', (_req, res) => {
    const mailboxes: Record<string, unknown> = {};
    for (const [userId, s] of ctx.limits.allStats()) {
      mailboxes[userId] = { mail: ctx.store.get(userId)?.user.mail ?? null, ...s };
    }
    res.json({
      requests: ctx.limits.totalRequests,
      throttled: ctx.limits.totalThrottled,
      tokensIssued: ctx.tokens.issued,
      tokensRefused: ctx.tokens.refused,
      faults: { ...ctx.limits.faultCounts },
      mailboxes,
    });
  });
  r.delete('/stats', (_req, res) => {
    ctx.limits.resetStats();
    res.status(204).end();
  });
  r.get('/faults', (_req, res) => {
    res.json(ctx.limits.getFaults());
  });
  r.post('/faults', (req, res) => {
    const faults = parseFaults(req.body);
    ctx.limits.setFaults(faults);
    res.json(ctx.limits.getFaults());
  });
  r.delete('/faults', (_req, res) => {
    ctx.limits.setFaults({});
    res.status(204).end();
  });
  r.post('/reset', (_req, res) => {
    ctx.store.reset();
    ctx.limits.resetStats();
    ctx.limits.setFaults({});
    res.status(204).end();
  });
  return r;
}

import express, { Router } from 'express';
import { z } from 'zod';
import { chatTruthOf } from '../data/chat-plan';
import { renderChatRecord } from '../data/chat-render';
import { sendError, type EmulatorContext } from '../http/context';
import { zodMessage } from './mi-validate';

const addChatSchema = z
  .object({
    endTime: z.number().int(),
    startTime: z.number().int().optional(),
    lineCount: z.number().int().min(1).max(200).optional(),
    agentIds: z.array(z.string()).min(1).max(5).optional(),
    /** The address the visitor typed into the pre-chat survey. */
    preChatEmail: z.string().min(1).max(300).optional(),
    partial: z.boolean().optional(),
    /** Searchable this long after the chat ended (LivePerson: usually minutes, at most 2 hours). */
    ingestionDelayMs: z.number().int().min(0).optional(),
  })
  .strict();

/** `/_emulator/chats`: ground truth and test controls for the legacy chats (Engagement History). Not part of LivePerson. */
export function inspectChatRoutes(ctx: EmulatorContext): Router {
  const r = Router();
  r.use('/_emulator/chats', express.json({ limit: '64kb' }));

  /** Ended chats with endFrom <= end < endTo (the connector's window semantics), searchable or not yet. */
  r.get('/_emulator/chats', (req, res) => {
    const from = req.query.endFrom === undefined ? -Infinity : Number(req.query.endFrom);
    const to = req.query.endTo === undefined ? Infinity : Number(req.query.endTo);
    if (Number.isNaN(from) || Number.isNaN(to)) return sendError(res, 400, 'endFrom and endTo must be epoch milliseconds');
    res.json(
      ctx.chats
        .endedBetween(from, to)
        .filter((p) => p.endTime < to)
        .map((p) => chatTruthOf(p, ctx.opts.accountId)),
    );
  });

  r.post('/_emulator/chats', (req, res) => {
    const parsed = addChatSchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, zodMessage(parsed.error));
    const { endTime, ...overrides } = parsed.data;
    try {
      res.status(201).json(chatTruthOf(ctx.chats.add(endTime, overrides), ctx.opts.accountId));
    } catch (e) {
      sendError(res, 400, e instanceof Error ? e.message : String(e));
    }
  });

  /** The full record of a chat by engagement id (of the main account), as search returns it when complete. */
  r.get('/_emulator/chats/:engagementId/record', (req, res) => {
    const acct = ctx.opts.accountId;
    const id = req.params.engagementId;
    const plan = id.startsWith(acct) ? ctx.chats.get(id.slice(acct.length)) : undefined;
    if (!plan) return sendError(res, 404, `No chat ${id}`);
    res.json(renderChatRecord(plan, acct));
  });
  return r;
}

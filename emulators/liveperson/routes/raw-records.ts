import express, { Router } from 'express';
import { z } from 'zod';
import { sendError, type EmulatorContext } from '../http/context';
import { zodMessage } from './mi-validate';

/** Room for absurd records (a 3 MB message text, 10,000 messages) in one request. */
const MAX_BODY = '64mb';

const entrySchema = z
  .object({
    /** Search end time (epoch ms): the record is found by this, whatever its own info.endTimeL says. */
    endTime: z.number().int(),
    /** Search start time; default one minute before the end. */
    startTime: z.number().int().optional(),
    /** Searchable at once instead of after the ingestion lag. */
    visibleImmediately: z.boolean().optional(),
    /** The MI record, served verbatim: any JSON value, hostile or malformed on purpose. */
    record: z.unknown(),
  })
  .strict();

const bodySchema = z.object({ records: z.array(entrySchema).min(1).max(10_000) }).strict();

/**
 * `POST /_emulator/records`: injects raw MI records verbatim (tests of hostile input). Body
 * `{ records: [{ endTime, startTime?, visibleImmediately?, record }] }`; answers 201 with what was stored.
 * `GET /_emulator/records`: the injected records' search times and claimed ids. Not part of LivePerson.
 * Mount before the other inspection routes: their body parser allows only 1 MB.
 */
export function rawRecordRoutes(ctx: EmulatorContext): Router {
  const r = Router();
  r.post('/_emulator/records', express.json({ limit: MAX_BODY }), (req, res) => {
    const parsed = bodySchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, zodMessage(parsed.error));
    const now = ctx.now();
    const stored = parsed.data.records.map((e) => {
      const entry = ctx.rawRecords.add(e.record, {
        endTime: e.endTime,
        startTime: e.startTime ?? e.endTime - 60_000,
        visibleAt: e.visibleImmediately ? now : e.endTime + ctx.opts.ingestionLagMs,
      });
      return summary(entry);
    });
    res.status(201).json({ records: stored });
  });

  r.get('/_emulator/records', (_req, res) => {
    res.json({ records: ctx.rawRecords.all().map(summary) });
  });
  return r;
}

function summary(e: { seq: number; endTime: number; startTime: number; visibleAt: number; conversationId?: string }) {
  return {
    seq: e.seq,
    endTime: e.endTime,
    startTime: e.startTime,
    visibleAt: e.visibleAt,
    ...(e.conversationId !== undefined ? { conversationId: e.conversationId } : {}),
  };
}

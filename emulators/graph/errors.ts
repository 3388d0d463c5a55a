import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** An error the emulator answers in Graph's shape. Route code throws it; the error handler renders it. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

/** Stamps `request-id` (and echoes `client-request-id`) on every response, as Graph does. */
export function requestIds(req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID();
  const clientRequestId = req.header('client-request-id') ?? requestId;
  res.locals.requestId = requestId;
  res.locals.clientRequestId = clientRequestId;
  res.setHeader('request-id', requestId);
  res.setHeader('client-request-id', clientRequestId);
  next();
}

/** Writes `{"error":{code,message,innerError:{date,request-id,client-request-id}}}`. */
export function sendGraphError(
  res: Response,
  status: number,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(status).json({
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': String(res.locals.requestId ?? ''),
        'client-request-id': String(res.locals.clientRequestId ?? ''),
      },
    },
  });
}

/** Final error handler: typed errors keep their shape, body-parser failures become Graph errors, the rest 500. */
export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof GraphHttpError) {
    sendGraphError(res, err.status, err.code, err.message, err.headers);
    return;
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.too.large') {
    sendGraphError(
      res,
      413,
      'RequestEntityTooLarge',
      'The request is larger than the 4 MB Graph accepts; send large content through an upload session.',
    );
    return;
  }
  if (e.type === 'entity.parse.failed') {
    sendGraphError(res, 400, 'RequestBodyRead', `Invalid JSON in the request body: ${e.message ?? 'parse error'}.`);
    return;
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    sendGraphError(res, e.status, 'BadRequest', e.message ?? 'Bad request.');
    return;
  }
  console.error('[graph-emulator] unexpected error', err);
  sendGraphError(res, 500, 'InternalServerError', 'The emulator hit an unexpected error; see its log.');
}

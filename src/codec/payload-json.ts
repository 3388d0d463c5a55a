import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/**
 * The body the Temporal Web UI and `temporal --codec-endpoint` send to /encode and /decode: payloads in
 * proto3 JSON, i.e. metadata values and data as base64 strings. Other fields are ignored.
 */
export const payloadsBodySchema = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.string()).nullish(),
      data: z.string().nullish(),
    }),
  ),
});

export type JsonPayload = z.infer<typeof payloadsBodySchema>['payloads'][number];

/** proto3 JSON → Payload (base64 → bytes). */
export function fromJsonPayload({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

/** Payload → proto3 JSON (bytes → base64). */
export function toJsonPayload({ metadata, data }: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}

import { localServerTls } from '../../scripts/lib/local-ca';
import { startGraphEmulator, type GraphEmulator } from '../../emulators/graph/server';
import type { GraphEmulatorOptions } from '../../emulators/graph/types';
import { GraphMailClient } from '../../src/graph/client';
import type { GraphClientTuning, ImportMessage } from '../../src/graph/types';

export const TENANT_ID = 'test-tenant';

/** Starts the emulator over HTTPS (the local CA, which jest trusts) on a free port (seed 42 unless told otherwise). */
export function startEmulator(opts: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  return startGraphEmulator({ port: 0, seed: 42, tls: localServerTls(), ...opts });
}

/** The `.default` scope of the emulated Graph: its own origin, as a private Graph's scope is. */
export function emulatorScope(emu: GraphEmulator): string {
  return `${emu.url}/.default`;
}

export function clientFor(emu: GraphEmulator, tuning: GraphClientTuning = {}, secret = emu.clientSecret): GraphMailClient {
  return new GraphMailClient({
    baseUrl: emu.graphBaseUrl,
    authorityHost: emu.url,
    // The emulator is a token service we run: declared trusted, so MSAL skips Microsoft's instance discovery.
    trustedAuthority: true,
    auth: { kind: 'client-secret', tenantId: TENANT_ID, clientId: emu.clientId, clientSecret: secret },
    tuning: { backoffBaseMs: 50, ...tuning },
  });
}

/** A user of the emulated directory that has a mailbox, by index among those. */
export function mailboxUser(emu: GraphEmulator, index = 0): { id: string; mail: string; userPrincipalName: string } {
  const u = emu.users.filter((x) => x.mailbox === 'ok')[index];
  if (!u) throw new Error(`no mailbox user #${index}`);
  return u;
}

export function sampleMessage(key: string, overrides: Partial<ImportMessage> = {}): ImportMessage {
  return {
    subject: `LivePerson conversation ${key}`,
    htmlBody: '<html><body><p>Consumer: hello</p><p>Agent: hi, how can I help?</p></body></html>',
    from: { name: 'Visitor', address: 'visitor@example.com' },
    to: [{ name: 'Ava Bauer', address: 'ava.bauer0@contoso.example' }],
    cc: [],
    internetMessageId: `<${key.replace(/[^a-z0-9]/gi, '.')}@lp-archive.test>`,
    headers: [{ name: 'x-lp-conversation-id', value: key }],
    receivedAt: Date.parse('2024-05-01T10:15:00Z'),
    sentAt: Date.parse('2024-05-01T10:14:58Z'),
    importKey: `lp-archive:test:${key}:v1`,
    attachments: [],
    ...overrides,
  };
}

export interface InspectedItem {
  id: string;
  subject: string;
  isDraft: boolean;
  isRead: boolean;
  internetMessageId: string;
  importKey: string | null;
  receivedDateTime: string;
  sentDateTime: string | null;
  from: { address: string; name?: string } | null;
  toRecipients: { address: string; name?: string }[];
  internetMessageHeaders: { name: string; value: string }[];
  attachments: { name: string; size: number; sha256: string }[];
  body?: { contentType: string; content: string };
}

export interface InspectedFolder {
  id: string;
  displayName: string;
  parentFolderId: string | null;
  wellKnownName: string | null;
  items: InspectedItem[];
}

export async function inspectMailbox(
  emu: GraphEmulator,
  userId: string,
  bodies = false,
): Promise<{ userId: string; folders: InspectedFolder[] }> {
  const r = await fetch(`${emu.url}/_emulator/mailboxes?mailbox=${encodeURIComponent(userId)}${bodies ? '&bodies=1' : ''}`);
  const boxes = (await r.json()) as { userId: string; folders: InspectedFolder[] }[];
  if (!boxes[0]) throw new Error(`mailbox ${userId} not found`);
  return boxes[0];
}

export async function itemsWithKey(emu: GraphEmulator, userId: string, key: string): Promise<InspectedItem[]> {
  const mb = await inspectMailbox(emu, userId);
  return mb.folders.flatMap((f) => f.items).filter((i) => i.importKey === key);
}

export interface EmulatorStats {
  requests: number;
  throttled: number;
  tokensIssued: number;
  tokensRefused: number;
  mailboxes: Record<
    string,
    {
      requests: number;
      throttled: number;
      throttledConcurrency: number;
      peakConcurrency: number;
      inFlight: number;
      bytesUploaded: number;
      faultsInjected: number;
    }
  >;
}

export async function stats(emu: GraphEmulator): Promise<EmulatorStats> {
  return (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as EmulatorStats;
}

export async function resetStats(emu: GraphEmulator): Promise<void> {
  await fetch(`${emu.url}/_emulator/stats`, { method: 'DELETE' });
}

/** A token straight from the emulator, for raw-HTTP contract tests. */
export async function rawToken(emu: GraphEmulator): Promise<string> {
  const r = await fetch(`${emu.url}/${TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
      grant_type: 'client_credentials',
      scope: emulatorScope(emu),
    }),
  });
  return ((await r.json()) as { access_token: string }).access_token;
}

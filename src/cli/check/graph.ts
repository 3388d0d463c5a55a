import { readFile } from 'node:fs/promises';
import { odataString } from '../../graph/client';
import { credentialCertificate } from '../../graph/credential';
import { createTokenSource } from '../../graph/token';
import { certificateVerdict, describeCredential } from './graph-credential';
import type { ConnectorConfig } from '../../model';
import { CLI_REQUEST_TIMEOUT_MS, graphAuth, graphClient, graphEndpoints } from '../clients';
import type { CliEnv } from '../io';
import { checkMappingCsv } from '../mapping-check';
import { settingFix, type CheckRecorder } from './types';

/** An address no tenant has: the lookup exercises the directory permission without finding anyone. */
const PROBE_ADDRESS = 'lp-archive-preflight@invalid.example';

/**
 * Microsoft Graph: credentials, token, directory search (User.Read.All), and for the target mailbox (the
 * `--mailbox` given, else the catch-all, else the user of a LivePerson agent found in the directory) the user, its
 * Inbox and the import folder. Reads only.
 */
export async function checkGraph(
  config: ConnectorConfig,
  env: CliEnv,
  rec: CheckRecorder,
  mailbox?: string,
  agentAddresses: readonly string[] = [],
): Promise<void> {
  const ref = config.graph.credentialsRef;
  const auth = await rec.step(
    'graph',
    'credentials',
    () => Promise.resolve({ value: graphAuth(config, env), detail: describeCredential(graphAuth(config, env)) }),
    settingFix(
      `${ref}_TENANT_ID, ${ref}_CLIENT_ID and one of ${ref}_CLIENT_SECRET, ${ref}_CLIENT_CERTIFICATE_PATH, ${ref}_FEDERATED_TOKEN_FILE, ${ref}_MANAGED_IDENTITY (docs/credentials.md)`,
    ),
  );
  const endpoints = graphEndpoints(config);
  const { baseUrl } = endpoints;
  const tokens = auth ? createTokenSource(auth, endpoints) : undefined;
  const certificate = tokens ? credentialCertificate(tokens.credential) : undefined;
  const certificateOk = certificate
    ? await rec.step(
        'graph',
        'certificate',
        async () => certificateVerdict(await certificate, Date.now()),
        `renew the app's certificate: upload a new one to the app registration and point ${ref}_CLIENT_CERTIFICATE_PATH at it`,
      )
    : true;
  const token =
    tokens && certificateOk
      ? await rec.step(
          'graph',
          'token',
          async () => ({
            value: await tokens.getToken(),
            detail: `Microsoft Entra ID (${endpoints.authorityHost}) issued an app-only token for ${endpoints.scope} to client ${auth?.clientId ?? ''}`,
          }),
          'check the credentials named above (docs/credentials.md)',
        )
      : undefined;
  if (tokens && !certificateOk) rec.skip('graph', 'token', 'the certificate cannot be used');
  let target = mailbox ?? config.graph.catchAllMailbox;
  if (!token) {
    for (const n of ['directory search', 'mailbox', 'Inbox', 'import folder'])
      rec.skip('graph', n, auth ? 'no token' : 'no Graph credentials');
  } else {
    const client = graphClient(config, env);
    await rec.step(
      'graph',
      'directory search',
      async () => {
        await client.findUserByAddress(PROBE_ADDRESS);
        return { value: true, detail: 'users can be looked up by mail and proxy address' };
      },
      'grant the app the User.Read.All application permission, with admin consent',
    );
    target ??= await sampleMailbox(client, agentAddresses);
    if (!target) {
      for (const n of ['mailbox', 'Inbox', 'import folder'])
        rec.skip('graph', n, 'no mailbox to probe: no LivePerson agent address is in the directory; pass --mailbox <upn>');
    } else {
      const probed = target;
      const sampled = !mailbox && !config.graph.catchAllMailbox ? ' (a LivePerson agent sampled: pass --mailbox to choose one)' : '';
      const user = await rec.step(
        'graph',
        'mailbox',
        async () => {
          const u = await client.getUser(probed);
          if (!u) throw new Error(`${target} is not in the directory`);
          return { value: u, detail: `${target} is user ${u.id}${sampled}` };
        },
        mailbox
          ? 'pass the user principal name of a licensed user'
          : 'fix graph.catchAllMailbox: the UPN of a licensed user with a mailbox',
      );
      const inbox = user
        ? await rec.step(
            'graph',
            'Inbox',
            async () => {
              const state = await client.probeMailbox(user.id);
              if (state !== 'ok') throw new Error(`the mailbox of ${target} cannot be written: ${state}`);
              return { value: true, detail: `the Inbox of ${target} is reachable` };
            },
            'grant Mail.ReadWrite (application) with admin consent; if an application access policy / RBAC scope restricts the app, include this mailbox; the user needs an Exchange Online licence',
          )
        : undefined;
      if (inbox && user) {
        await rec.step(
          'graph',
          'import folder',
          async () => {
            const exists = await findImportFolder(baseUrl, await tokens!.getToken(), user.id, config.graph.folderName);
            return {
              value: exists,
              detail: `Inbox/${config.graph.folderName} ${exists ? 'exists' : 'does not exist yet; the first import creates it'}`,
            };
          },
          'grant Mail.ReadWrite (application) with admin consent',
        );
      } else {
        for (const n of user ? ['import folder'] : ['Inbox', 'import folder']) rec.skip('graph', n, 'the mailbox is not usable');
      }
    }
  }
  if (config.graph.mappingCsvPath) {
    const path = config.graph.mappingCsvPath;
    await rec.step(
      'graph',
      'mapping CSV',
      async () => {
        const report = checkMappingCsv(await readFile(path, 'utf8'));
        if (report.errors.length > 0) throw new Error(`${path}: ${report.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
        return { value: true, detail: `${path}: ${report.rows} mappings` };
      },
      `fix graph.mappingCsvPath (${path}); run "mapping validate ${path}" for every problem`,
    );
  }
}

/** Agents whose address the check tries before giving up on sampling a mailbox. */
const SAMPLED_AGENTS = 5;

/** A mailbox the run will write to: the user of the first of a few LivePerson agents' addresses found in the directory. */
async function sampleMailbox(client: ReturnType<typeof graphClient>, addresses: readonly string[]): Promise<string | undefined> {
  for (const address of addresses.slice(0, SAMPLED_AGENTS)) {
    const user = await client.findUserByAddress(address).catch(() => undefined);
    if (user) return user.userPrincipalName;
  }
  return undefined;
}

/** Read-only lookup of Inbox/<folderName> (GraphMailClient only offers find-or-create). */
async function findImportFolder(baseUrl: string, token: string, userId: string, folderName: string): Promise<boolean> {
  const filter = encodeURIComponent(`displayName eq ${odataString(folderName)}`);
  const url = `${baseUrl.replace(/\/+$/, '')}/users/${encodeURIComponent(userId)}/mailFolders/inbox/childFolders?$filter=${filter}&$select=id,displayName`;
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(CLI_REQUEST_TIMEOUT_MS) });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    throw new Error(
      `listing the Inbox folders answered HTTP ${res.status}${body.error?.code ? ` ${body.error.code}` : ''}${body.error?.message ? `: ${body.error.message}` : ''}`,
    );
  }
  const body = (await res.json()) as { value?: { displayName?: string }[] };
  return (body.value ?? []).some((f) => f.displayName?.toLowerCase() === folderName.toLowerCase());
}

import * as fs from 'node:fs';
import { Command } from 'commander';
import { startGraphEmulator } from './server';

/** CLI: `npx tsx emulators/graph/main.ts --port 4102 --seed 42`. */
async function main(): Promise<void> {
  const program = new Command()
    .name('graph-emulator')
    .description('Local Microsoft Graph emulator (directory, mail folders, messages, attachments) for lp-archive.')
    .option('--port <n>', 'port to listen on (0 = any free port)', '4102')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--seed <n>', 'seed of the shared tenant (use the LivePerson emulator seed)', '42')
    .option('--client-id <id>', 'accepted client id', 'graph-demo-client')
    .option('--client-secret <secret>', 'accepted client secret', 'graph-demo-secret')
    .option('--tenant-id <id>', 'accept only this tenant id on the token endpoint')
    .option('--client-certificate <pem>', 'a certificate (PEM file) registered for the app: assertions signed with its key are accepted')
    .option('--tls-cert <pem>', 'serve HTTPS with this certificate (PEM file); with --tls-key')
    .option('--tls-key <pem>', 'the private key (PEM file) of --tls-cert')
    .option('--latency-ms <n>', 'artificial service time per mailbox request', '0')
    .option('--request-budget <n>', 'requests per mailbox per 10 minutes', '10000')
    .option('--mailbox-quota-mb <n>', 'mailbox size quota in MB (default unlimited)')
    .option('--directory-copies <n>', 'copies of the directory: copy k ≥ 2 repeats every user as c<k>.<address> with its own mailbox', '1')
    .option('--log-requests', 'log one line per request', false)
    .parse();
  const o = program.opts<{
    port: string;
    host: string;
    seed: string;
    clientId: string;
    clientSecret: string;
    tenantId?: string;
    clientCertificate?: string;
    tlsCert?: string;
    tlsKey?: string;
    latencyMs: string;
    requestBudget: string;
    mailboxQuotaMb?: string;
    directoryCopies: string;
    logRequests: boolean;
  }>();
  const num = (name: string, v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got '${v}'.`);
    return n;
  };
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) throw new Error('--tls-cert and --tls-key go together.');
  const read = (flag: string, file: string): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`--${flag} ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  const emulator = await startGraphEmulator({
    port: num('port', o.port),
    host: o.host,
    seed: num('seed', o.seed),
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    ...(o.tenantId !== undefined ? { tenantId: o.tenantId } : {}),
    ...(o.clientCertificate !== undefined ? { clientCertificates: [read('client-certificate', o.clientCertificate)] } : {}),
    ...(o.tlsCert !== undefined && o.tlsKey !== undefined
      ? { tls: { cert: read('tls-cert', o.tlsCert), key: read('tls-key', o.tlsKey) } }
      : {}),
    latencyMs: num('latency-ms', o.latencyMs),
    requestBudget: num('request-budget', o.requestBudget),
    ...(o.mailboxQuotaMb !== undefined ? { mailboxQuotaBytes: num('mailbox-quota-mb', o.mailboxQuotaMb) * 1024 * 1024 } : {}),
    directoryCopies: num('directory-copies', o.directoryCopies),
    logRequests: o.logRequests,
  });
  const mailboxes = emulator.users.filter((u) => u.mailbox === 'ok').length;
  console.log(
    `graph emulator listening on ${emulator.url} (Graph ${emulator.graphBaseUrl}, token ${emulator.url}/{tenant}/oauth2/v2.0/token, ${emulator.users.length} users, ${mailboxes} mailboxes, seed ${o.seed})`,
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`graph emulator failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

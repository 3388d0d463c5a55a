import { Command, InvalidArgumentError } from 'commander';
import { startLivePersonEmulator } from './index';

/** CLI: `npx tsx emulators/liveperson/main.ts --port 4101 --seed 42 --conversations 1500 --days 3 --live-per-minute 6`. */

function int(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return n;
  };
}

function accountList(v: string): string[] {
  const ids = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ids.filter((id) => !/^\d{1,19}$/.test(id));
  if (bad.length) throw new InvalidArgumentError(`account ids are numeric, got ${bad.join(', ')}`);
  return ids;
}

function rate(v: string): number {
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('rates are numbers between 0 and 1');
  return n;
}

const program = new Command()
  .name('liveperson-emulator')
  .description('Local LivePerson Conversational Cloud emulator (CSDS, Sentinel, Messaging Interactions, Engagement History, Users, Swift)')
  .option('--port <n>', 'port to listen on (0 = any free port)', int('port'), 4101)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--account <id>', 'LivePerson account id', '12345678')
  .option(
    '--extra-accounts <ids>',
    'more account ids, comma-separated, each serving the same conversations with its own tokens',
    accountList,
    [] as string[],
  )
  .option('--seed <n>', 'data seed', int('seed'), 42)
  .option('--conversations <n>', 'generated closed conversations', int('conversations'), 1500)
  .option('--days <n>', 'spread end times over this many days back from now', int('days'), 3)
  .option('--max-messages <n>', 'most messages per conversation (1..200)', int('max-messages'), 40)
  .option('--live-per-minute <n>', 'live mode: conversations closing per minute', int('live-per-minute'), 0)
  .option('--reopen-rate <p>', 'live mode: share of conversations re-opened and closed again ~10 minutes later', rate, 0)
  .option('--ingestion-lag-ms <n>', 'delay before a closed conversation is searchable', int('ingestion-lag-ms'), 30000)
  .option('--chats <n>', 'generated ended legacy chats (Engagement History)', int('chats'), 0)
  .option('--chat-days <n>', 'spread chat end times over this many days back from now (default: --days)', int('chat-days'))
  .option('--chat-live-per-minute <n>', 'live mode: chats ending per minute', int('chat-live-per-minute'), 0)
  .option('--chat-ingestion-max-ms <n>', 'most chats are searchable within this delay after they end', int('chat-ingestion-max-ms'), 300000)
  .option('--chat-late-rate <p>', 'share of chats searchable later, up to 2 hours after they end', rate, 0.005)
  .option('--client-id <id>', 'accepted OAuth2 client id', 'lp-demo-client')
  .option('--client-secret <secret>', 'accepted OAuth2 client secret', 'lp-demo-secret')
  .option(
    '--client-scopes <scopes>',
    'OAuth2 scopes of that client, comma-separated (Engagement History needs data.services.enghist)',
    (v: string) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ['msg.hist', 'users.read', 'data.services.enghist'],
  )
  .option('--token-lifetime <s>', 'OAuth2 token lifetime, seconds', int('token-lifetime'), 3600)
  .option('--rate-429 <p>', 'share of API requests answered 429', rate, 0)
  .option('--rate-5xx <p>', 'share of API requests answered 500/503', rate, 0)
  .option('--partial-result-rate <p>', 'share of search pages flagged partialResult', rate, 0)
  .option('--drop-rate <p>', 'share of API requests whose connection is dropped', rate, 0)
  .option('--missing-file-rate <p>', 'share of hosted files answered 404 (picked by path)', rate, 0)
  .option('--verbose', 'log every request', false);

async function main(): Promise<void> {
  const o = program.parse().opts<{
    port: number;
    host: string;
    account: string;
    extraAccounts: string[];
    seed: number;
    conversations: number;
    days: number;
    maxMessages: number;
    livePerMinute: number;
    reopenRate: number;
    ingestionLagMs: number;
    chats: number;
    chatDays?: number;
    chatLivePerMinute: number;
    chatIngestionMaxMs: number;
    chatLateRate: number;
    clientScopes: string[];
    clientId: string;
    clientSecret: string;
    tokenLifetime: number;
    rate429: number;
    rate5xx: number;
    partialResultRate: number;
    missingFileRate: number;
    dropRate: number;
    verbose: boolean;
  }>();
  const emu = await startLivePersonEmulator({
    port: o.port,
    host: o.host,
    accountId: o.account,
    extraAccountIds: o.extraAccounts,
    seed: o.seed,
    conversations: o.conversations,
    days: o.days,
    maxMessages: o.maxMessages,
    livePerMinute: o.livePerMinute,
    reopenRate: o.reopenRate,
    ingestionLagMs: o.ingestionLagMs,
    chats: o.chats,
    ...(o.chatDays !== undefined ? { chatDays: o.chatDays } : {}),
    chatLivePerMinute: o.chatLivePerMinute,
    chatIngestionMaxMs: o.chatIngestionMaxMs,
    chatLateRate: o.chatLateRate,
    clientScopes: o.clientScopes,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    tokenLifetimeSeconds: o.tokenLifetime,
    faults: {
      rate429: o.rate429,
      rate5xx: o.rate5xx,
      partialResultRate: o.partialResultRate,
      missingFileRate: o.missingFileRate,
      dropRate: o.dropRate,
    },
    verbose: o.verbose,
  });
  process.stdout.write(
    `LivePerson emulator listening on ${emu.url} (account ${emu.accountId}${o.extraAccounts.length ? ` and ${o.extraAccounts.length} more` : ''}, ${emu.store.size} conversations, ${emu.chats.size} chats, seed ${o.seed}, live ${o.livePerMinute}/min)\n`,
  );
  const stop = (): void => {
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`LivePerson emulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

import { Command } from 'commander';
import { DEV_API_AUDIENCE, DEV_CONSOLE_CLIENT } from './constants';
import { startIdentityProvider } from './server';
import { DEV_USERS } from './users';

/**
 * CLI: `npx tsx emulators/identity/main.ts --port 4103 --console-redirect-uri http://127.0.0.1:8090/auth/callback`.
 * Development only: seeded users with printed passwords.
 */
async function main(): Promise<void> {
  const collect = (v: string, prior: string[]): string[] => [...prior, v];
  const program = new Command()
    .name('identity-emulator')
    .description('Local OpenID Connect provider (dev identity provider) for the lp-archive console and codec server.')
    .option('--port <n>', 'port to listen on (0 = any free port)', '4103')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--issuer <url>', 'issuer to put in tokens and discovery (default http://<host>:<port>)')
    .option('--audience <aud>', 'aud of access tokens', DEV_API_AUDIENCE)
    .option('--console-redirect-uri <uri>', 'redirect URI of the console client (repeatable)', collect, [])
    .option('--console-post-logout-uri <uri>', 'post-logout redirect URI of the console client (repeatable)', collect, [])
    .option('--token-ttl <seconds>', 'lifetime of ID and access tokens', '3600')
    .parse();
  const o = program.opts<{
    port: string;
    host: string;
    issuer?: string;
    audience: string;
    consoleRedirectUri: string[];
    consolePostLogoutUri: string[];
    tokenTtl: string;
  }>();
  const port = Number(o.port);
  const ttl = Number(o.tokenTtl);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got '${o.port}'.`);
  if (!Number.isInteger(ttl) || ttl < 1) throw new Error(`--token-ttl must be a whole number of seconds, got '${o.tokenTtl}'.`);
  const idp = await startIdentityProvider({
    port,
    host: o.host,
    ...(o.issuer !== undefined ? { issuer: o.issuer } : {}),
    audience: o.audience,
    tokenTtlSeconds: ttl,
    clients:
      o.consoleRedirectUri.length > 0
        ? [{ ...DEV_CONSOLE_CLIENT, redirectUris: o.consoleRedirectUri, postLogoutRedirectUris: o.consolePostLogoutUri }]
        : [],
    log: (line) => console.log(line),
  });
  console.log(
    `identity emulator listening on ${idp.url} (issuer ${idp.issuer}, audience ${idp.audience}, users ${DEV_USERS.map((u) => u.username).join(', ')})`,
  );
  const stop = (): void => {
    idp.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`identity emulator failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

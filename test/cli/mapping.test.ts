import type { GraphEmulator } from '../../emulators/graph/server';
import { startEmulator, TENANT_ID } from '../graph/helpers';
import { cli, tempFiles } from './support';

describe('mapping template and mapping validate', () => {
  const files = tempFiles();

  it('prints a template whose header and example rows pass validation', async () => {
    const t = await cli(['mapping', 'template']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^lpUser,m365User$/m);
    const v = await cli(['mapping', 'validate', files.file('template.csv', t.stdout)]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/OK, 3 mappings/);
  });

  it('reports every bad row with its line number and exits 1', async () => {
    const path = files.file(
      'bad.csv',
      [
        'lpUser,m365User',
        'agent1,ann@contoso.com',
        ',bob@contoso.com',
        'agent3,not-an-address',
        '',
        'Agent1,other@contoso.com',
        'agent1,ann@contoso.com',
        'agent5,',
      ].join('\n'),
    );
    const r = await cli(['mapping', 'validate', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${path}:3: error: empty lpUser`);
    expect(r.stdout).toContain(`${path}:4: error: m365User "not-an-address" is neither`);
    expect(r.stdout).toContain(`${path}:6: error: "Agent1" is already mapped to "ann@contoso.com" on line 2`);
    expect(r.stdout).toContain(`${path}:7: warning: "agent1" repeats line 2`);
    expect(r.stdout).toContain(`${path}:8: error: empty m365User`);
    expect(r.stdout).toMatch(/4 errors; the worker would refuse this file/);
  });

  it('refuses a file without the lpUser,m365User header, and reports broken quoting by line, as JSON too', async () => {
    const noHeader = await cli(['mapping', 'validate', files.file('nohead.csv', 'user,mailbox\na,b@c.com\n')]);
    expect(noHeader.code).toBe(1);
    expect(noHeader.stdout).toMatch(/:1: error: the header is "user,mailbox"/);

    const quoted = await cli([
      '-o',
      'json',
      'mapping',
      'validate',
      files.file('quote.csv', 'lpUser,m365User\na,b@c.com\n"x"y,d@c.com\ne,f@c.com\n'),
    ]);
    expect(quoted.code).toBe(1);
    const report = JSON.parse(quoted.stdout);
    expect(report.valid).toBe(false);
    expect(report.errors[0]).toEqual(expect.objectContaining({ line: 3, message: expect.stringMatching(/not valid CSV/) }));
  });

  it('exits 1 with the path for a missing file, and 2 for an unsupported output format', async () => {
    const missing = await cli(['mapping', 'validate', '/nonexistent/users.csv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read the mapping CSV \/nonexistent\/users.csv \(ENOENT\)/);
    const usage = await cli(['mapping', 'validate', '-o', 'csv', files.file('ok.csv', 'lpUser,m365User\na,b@c.com\n')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/does not support -o csv/);
  });

  describe('--directory: each row against the Microsoft 365 directory', () => {
    let emu: GraphEmulator;
    let env: Record<string, string>;
    let config: string;
    beforeAll(async () => {
      emu = await startEmulator();
      env = { GRAPH_T_TENANT_ID: TENANT_ID, GRAPH_T_CLIENT_ID: emu.clientId, GRAPH_T_CLIENT_SECRET: emu.clientSecret };
      config = files.file(
        'connector.yaml',
        [
          'name: mapcheck',
          'liveperson:',
          '  accountId: "12345678"',
          '  credentialsRef: LP_T',
          'graph:',
          '  credentialsRef: GRAPH_T',
          `  baseUrl: ${emu.graphBaseUrl}`,
          `  authorityHost: ${emu.url}`,
          '  trustedAuthority: true',
          'schedule:',
          `  startDate: ${new Date(Date.now() - 86_400_000).toISOString()}`,
        ].join('\n'),
      );
    });
    afterAll(async () => {
      await emu?.close();
    });

    it('reports per row whether the user exists and has a mailbox, and exits 1 when a row would not deliver', async () => {
      const ok = emu.users.find((u) => u.mailbox === 'ok')!;
      const unlicensed = emu.users.find((u) => u.mailbox === 'no-mailbox')!;
      const csv = files.file(
        'dir.csv',
        [
          'lpUser,m365User',
          `agent-a,${ok.userPrincipalName}`,
          `agent-b,${ok.id}`,
          `agent-c,${unlicensed.userPrincipalName}`,
          'agent-d,ghost@contoso.example',
        ].join('\n'),
      );
      const r = await cli(['mapping', 'validate', csv, '--directory', config], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`${csv}:2: ok: agent-a → ${ok.userPrincipalName} (${ok.id}) has a mailbox.`);
      expect(r.stdout).toContain(`${csv}:3: ok: agent-b → ${ok.userPrincipalName} (${ok.id}) has a mailbox.`);
      expect(r.stdout).toMatch(
        new RegExp(`:4: error: no-mailbox: agent-c → ${unlicensed.userPrincipalName.replace('.', '\\.')} .*license the mailbox`),
      );
      expect(r.stdout).toContain(`${csv}:5: error: not-in-directory: agent-d → "ghost@contoso.example" is not in the directory`);
      expect(r.stdout).toMatch(/2 of 4 rows would not deliver/);

      const json = JSON.parse((await cli(['-o', 'json', 'mapping', 'validate', csv, '--directory', config], env)).stdout) as {
        valid: boolean;
        directory: { line: number; status: string }[];
      };
      expect(json.valid).toBe(false);
      expect(json.directory.map((d) => [d.line, d.status])).toEqual([
        [2, 'ok'],
        [3, 'ok'],
        [4, 'no-mailbox'],
        [5, 'not-in-directory'],
      ]);

      const good = files.file('good.csv', `lpUser,m365User\nagent-a,${ok.userPrincipalName}\n`);
      const pass = await cli(['mapping', 'validate', good, '--directory', config], env);
      expect(pass.code).toBe(0);
      expect(pass.stdout).toMatch(/OK, 1 mapping; every user exists and has a mailbox/);
    });

    it('names the settings to give when the Graph credentials are missing, for the operator', async () => {
      const good = files.file('good2.csv', 'lpUser,m365User\nagent-a,a@contoso.example\n');
      const r = await cli(['mapping', 'validate', good, '--directory', config], {});
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/This command needs GRAPH_T_TENANT_ID .*--env-file/);
    });
  });
});

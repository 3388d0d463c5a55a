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
});

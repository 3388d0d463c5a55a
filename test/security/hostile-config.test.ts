import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../src/config/connector-schema';
import { loadConnectorFile } from '../../src/config/load-connector-file';
import { CONFIG_NOW, problemsOf, validConnectorFile } from '../support/config-fixtures';

const NOW = CONFIG_NOW;
const valid = validConnectorFile;

async function fileProblems(name: string, text: string): Promise<readonly string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lpa-hostile-config-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  try {
    await loadConnectorFile(file, NOW);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('expected the config file to be refused');
}

describe('hostile connector configs are refused with one message per field, never a crash', () => {
  it.each([
    ['a number as the name', { name: 42 }, 'name', /expected a string/],
    ['a section that is an array', { liveperson: ['12345678', 'LP_EMEA'] }, 'liveperson', /expected an object/],
    ['a section that is null', { graph: null }, 'graph', /expected an object/],
    ['a section that is a string', { schedule: 'daily' }, 'schedule', /expected an object/],
    ['a page size written as text', { schedule: { startDate: '2026-11-01', pageSize: '100' } }, 'schedule.pageSize', /expected a number/],
    ['a fractional page concurrency', { schedule: { startDate: '2026-11-01', pageConcurrency: 1.5 } }, 'schedule.pageConcurrency', /int/],
    [
      'a fairness weight of zero',
      { schedule: { startDate: '2026-11-01', fairnessWeight: 0 } },
      'schedule.fairnessWeight',
      /at least 0.001/,
    ],
    [
      'a boolean written as text',
      { liveperson: { accountId: '12345678', credentialsRef: 'LP_EMEA', allowUnauthenticatedSdeRouting: 'yes' } },
      'liveperson.allowUnauthenticatedSdeRouting',
      /expected a boolean/,
    ],
    ['a start date as a number', { schedule: { startDate: 20261101 } }, 'schedule.startDate', /./],
    ['a duration that is an object', { schedule: { startDate: '2026-11-01', lag: { minutes: 2 } } }, 'schedule.lag', /./],
    ['an item limit as text', { limits: { maxItemBytes: '150MB' } }, 'limits.maxItemBytes', /expected a number/],
    ['an item limit over 150 MB', { limits: { maxItemBytes: 1e12 } }, 'limits.maxItemBytes', /150 MB/],
    ['an account id with letters', { liveperson: { accountId: '1234abcd', credentialsRef: 'LP_EMEA' } }, 'liveperson.accountId', /numeric/],
    [
      'a folder name of 10,000 characters',
      { graph: { credentialsRef: 'GRAPH_EMEA', folderName: 'x'.repeat(10_000) } },
      'graph.folderName',
      /./,
    ],
    ['a CR/LF in the name', { name: 'emea\r\nprod' }, 'name', /a-z/],
    ['a URL that is not one', { graph: { credentialsRef: 'GRAPH_EMEA', baseUrl: 'graph dot microsoft dot com' } }, 'graph.baseUrl', /URL/],
    ['an unknown import mode', { graph: { credentialsRef: 'GRAPH_EMEA', importMode: 'pst' } }, 'graph.importMode', /./],
  ])('%s', (_what, patch, field, message) => {
    const problems = problemsOf({ ...valid(), ...patch });
    const line = problems.find((p) => p.startsWith(`${field}:`));
    expect({ field, line: line !== undefined }).toEqual({ field, line: true });
    expect(line).toMatch(message);
  });

  it.each([
    ['an array', []],
    ['a string', 'name: emea-prod'],
    ['null', null],
    ['a number', 7],
  ])('refuses a file whose top level is %s', (_what, input) => {
    expect(problemsOf(input).length).toBeGreaterThan(0);
  });

  it('refuses a secret typed into the file, naming the key but never echoing the value', () => {
    const input = valid();
    input.liveperson = { accountId: '12345678', credentialsRef: 'LP_EMEA', clientSecret: 'sk-live-very-secret' };
    input.graph = { credentialsRef: 'GRAPH_EMEA', clientSecret: 'graph-very-secret' };
    const problems = problemsOf(input);
    expect(problems).toEqual([
      expect.stringMatching(/^liveperson\.clientSecret: unknown key/),
      expect.stringMatching(/^graph\.clientSecret: unknown key/),
    ]);
    expect(problems.join('\n')).not.toMatch(/very-secret/);
  });

  it('does not let __proto__ in a JSON file pollute objects', async () => {
    await expect(fileProblems('c.json', '{"__proto__": {"polluted": true}, "name": 5}')).resolves.toEqual(
      expect.arrayContaining([expect.stringMatching(/^name:/)]),
    );
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('refuses malformed JSON and YAML files with the file and the parser message', async () => {
    expect((await fileProblems('c.json', '{"name": "emea-prod",'))[0]).toMatch(/c\.json: is not valid JSON/);
    expect((await fileProblems('c.yaml', 'name: [unclosed'))[0]).toMatch(/c\.yaml: is not valid YAML/);
    expect((await fileProblems('c.yaml', 'name: "a\u0000b"\n\t- bad'))[0]).toMatch(/c\.yaml: /);
  });

  it('refuses a YAML alias bomb instead of expanding it', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i <= 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const problems = await fileProblems('bomb.yaml', `${lines.join('\n')}\n`);
    expect(problems[0]).toMatch(/bomb\.yaml: /);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

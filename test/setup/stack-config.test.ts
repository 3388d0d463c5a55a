import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StackConfigError } from '../../scripts/lib/errors';
import { loadStackConfig, parseStackConfig } from '../../scripts/lib/stack-config';

describe('temporal-dev.yaml (the local stack description)', () => {
  it('describes the pinned Temporal CLI, the ports, data folders, emulator sizes and the demo connector', () => {
    const config = loadStackConfig();
    expect(config.temporal).toMatchObject({
      cli: { version: '1.9.1' },
      port: 7233,
      uiPort: 8233,
      dbFile: '.stack/temporal.sqlite',
      namespace: 'default',
      searchAttributes: { LpConnectorName: 'Keyword', LpConnectorState: 'Keyword', LpCursorTime: 'Datetime' },
    });
    expect(config.azurite).toMatchObject({ port: 10000, location: '.stack/azurite', containerPrefix: 'lparchive-' });
    expect(config.emulators.liveperson).toMatchObject({
      port: 4101,
      seed: 42,
      account: '12345678',
      conversations: 1500,
      days: 3,
      livePerMinute: 6,
    });
    expect(config.emulators.graph).toMatchObject({ port: 4102, seed: 42 });
    expect(config.worker).toEqual({ metricsPort: 9464, taskQueue: 'lp-archive' });
    expect(config.demo).toEqual({ connector: 'demo' });
    expect(config.emulators.identity).toEqual({ port: 4103 });
    expect(config.console).toEqual({ port: 8090 });
  });

  /** The parts of the document the cases below spoil. */
  type Doc = {
    temporal: { port: unknown };
    azurite: Record<string, unknown>;
    emulators: { graph: { port: unknown }; liveperson: { port: unknown } };
  };

  /** The problems a document is refused with. */
  function problemsOf(change: (document: Doc) => void): string {
    const document = structuredClone(loadStackConfig()) as unknown as Doc;
    change(document);
    try {
      parseStackConfig(document);
    } catch (err) {
      expect(err).toBeInstanceOf(StackConfigError);
      return (err as StackConfigError).problems.join('\n');
    }
    throw new Error('the document was accepted');
  }

  it('reports each bad field by its path, including unknown (misspelt) keys', () => {
    const problems = problemsOf((d) => {
      d.temporal.port = 'seven';
      d.azurite.lcoation = 'typo';
    });
    expect(problems).toMatch(/temporal\.port: .*number/);
    expect(problems).toMatch(/azurite: .*lcoation/);
  });

  it('refuses two services on one port, naming both settings', () => {
    const problems = problemsOf((d) => {
      d.emulators.graph.port = d.emulators.liveperson.port;
    });
    expect(problems).toBe('emulators.graph.port: port 4101 is also used by emulators.liveperson.port');
  });

  it('names the line of a YAML syntax error and a missing file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-stack-config-'));
    try {
      const broken = path.join(dir, 'broken.yaml');
      fs.writeFileSync(broken, 'temporal:\n  port: 7233\n   uiPort: [8233\n');
      expect(() => loadStackConfig(broken)).toThrow(/broken\.yaml is not valid:\n {2}- YAML syntax error at line \d+/);
      expect(() => loadStackConfig(path.join(dir, 'missing.yaml'))).toThrow(/missing\.yaml is not valid:\n {2}- cannot read it \(ENOENT\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

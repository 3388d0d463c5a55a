import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configReferenceMarkdown } from '../../src/config/config-reference';
import { nearestKey } from '../../src/config/config-issues';
import { parseConnectorConfig } from '../../src/config/connector-schema';
import { upgradeConfig, type ConfigOfAnyAge } from '../../src/model';
import { checkReconfigure } from '../../src/workflows/reconfigure-check';
import { CONFIG_NOW, problemsOf, validConnectorFile } from '../support/config-fixtures';

const NOW = CONFIG_NOW;

describe('strict connector config, one definition', () => {
  it('refuses a mistyped key with the nearest known one, instead of silently using the default', () => {
    const file = validConnectorFile();
    const problems = problemsOf({ ...file, graph: { ...(file.graph as object), folderNmae: 'Archive' } });
    expect(problems).toEqual(['graph.folderNmae: unknown key; did you mean folderName?']);
  });

  it('refuses unknown keys at every level, listing the allowed keys when nothing is near', () => {
    const file = validConnectorFile();
    const problems = problemsOf({ ...file, colour: 'blue', schedule: { ...(file.schedule as object), lagg: '2m' } });
    expect(problems).toContain('schedule.lagg: unknown key; did you mean lag?');
    const top = problems.find((p) => p.startsWith('colour:'));
    expect(top).toMatch(/unknown key; the keys allowed here are name, liveperson, graph, schedule, limits/);
  });

  it('says what a missing field is and gives an example', () => {
    const file = validConnectorFile();
    const { accountId: _omitted, ...liveperson } = file.liveperson as Record<string, unknown>;
    expect(problemsOf({ ...file, liveperson })).toEqual([
      'liveperson.accountId: is required: The LivePerson account (site) id, e.g. accountId: "12345678"',
    ]);
  });

  it('says what a wrongly typed field expects, and lists the values of an enum', () => {
    const file = validConnectorFile();
    const typed = problemsOf({ ...file, schedule: { ...(file.schedule as object), pageSize: '100' } });
    expect(typed[0]).toMatch(/^schedule\.pageSize: expected a number, got "100"\. Conversations per LivePerson request/);
    const enumed = problemsOf({ ...file, graph: { ...(file.graph as object), existenceCheck: 'sometimes' } });
    expect(enumed[0]).toBe('graph.existenceCheck: expected one of always, after-failure, got "sometimes"');
  });

  it('suggests only keys that are near', () => {
    expect(nearestKey('folderNmae', ['folderName', 'baseUrl'])).toBe('folderName');
    expect(nearestKey('FOLDERNAME', ['folderName'])).toBe('folderName');
    expect(nearestKey('colour', ['name', 'liveperson', 'graph'])).toBeUndefined();
  });

  it('the workflow refuses on reconfigure what the CLI refuses on parse (one set of bounds)', () => {
    const current = parseConnectorConfig(validConnectorFile(), NOW);
    const tooShortLag = { ...current, schedule: { ...current.schedule, lagMs: 30_000 } };
    expect(() => checkReconfigure(current, tooShortLag)).toThrow(/schedule.lag must be at least 1m/);
    const file = validConnectorFile();
    expect(problemsOf({ ...file, schedule: { ...(file.schedule as object), lag: '30s' } })[0]).toMatch(/schedule.lag must be at least 1m/);
    const hugeBatch = { ...current, schedule: { ...current.schedule, busyBatchSize: 5000 } };
    expect(() => checkReconfigure(current, hugeBatch)).toThrow(/busyBatchSize must be a whole number from 1 to 2000/);
  });

  it('completes a config carried by a workflow started before some fields existed, as such connectors ran', () => {
    const current = parseConnectorConfig(validConnectorFile(), NOW);
    const {
      lateArrivalSweepMs: _a,
      sweepIntervalMs: _b,
      batchSize: _c,
      busyBatchSize: _d,
      fairnessWeight: _e,
      ...oldSchedule
    } = current.schedule;
    const old: ConfigOfAnyAge = { ...current, schedule: { ...oldSchedule, pageSize: 40 } };
    expect(upgradeConfig(old).schedule).toMatchObject({
      lateArrivalSweepMs: 0,
      sweepIntervalMs: 0,
      batchSize: 40,
      busyBatchSize: 40,
      fairnessWeight: 1,
    });
    expect(upgradeConfig(current)).toEqual(current); // a complete config is left as it is
  });

  it('docs/configuration.md is the reference generated from the schema (npm run docs:config)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
    expect(committed).toBe(configReferenceMarkdown());
    for (const field of [
      'liveperson.csdsBaseUrl',
      'liveperson.serviceScheme',
      'graph.baseUrl',
      'graph.authorityHost',
      'schedule.busyBatchSize',
    ]) {
      expect(committed).toContain(`\`${field}\``);
    }
  });
});

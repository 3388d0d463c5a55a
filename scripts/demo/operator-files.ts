import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { generateTenant, type TenantAgent } from '../../emulators/shared/tenant';
import { fromProjectRoot } from '../lib/paths';
import type { StackConfig } from '../lib/stack-config';
import { demoConnectorFile, demoStartDate } from './demo-connector';

/** The demo connector as a file the CLI takes (`check`, `dry-run`, `connector start|reconfigure`). */
export const DEMO_CONNECTOR_PATH = fromProjectRoot('.stack/demo-connector.yaml');
/** A mapping CSV that closes the demo's deliberate mapping gaps (for `mapping validate --directory`). */
export const DEMO_MAPPING_PATH = fromProjectRoot('.stack/demo-mapping.csv');

/** The agents the emulators' shared tenant leaves without a usable mailbox on purpose (so the unmapped path runs). */
export interface MappingGaps {
  /** In the directory, but no licensed Exchange Online mailbox. */
  readonly unlicensed: readonly TenantAgent[];
  /** Not in the Microsoft 365 directory at all (bots excluded: they are external, not gaps). */
  readonly notInDirectory: readonly TenantAgent[];
  /** A licensed mailbox to probe with `check --mailbox` and to map the gaps to. */
  readonly licensed: TenantAgent;
}

/** Reads the gaps from the tenant both emulators generate from the Graph emulator's seed. */
export function demoMappingGaps(config: StackConfig): MappingGaps {
  const agents = generateTenant(config.emulators.graph.seed).agents;
  const licensed = agents.find((a) => a.mailbox === 'ok' && !a.deleted && !a.emailIsAlias);
  if (!licensed) throw new Error('the emulator tenant has no licensed agent');
  return {
    unlicensed: agents.filter((a) => a.mailbox === 'no-mailbox'),
    notInDirectory: agents.filter((a) => a.mailbox === 'not-in-directory' && a.userType === '1'),
    licensed,
  };
}

function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Writes `.stack/demo-connector.yaml` (the demo connector against this stack) and `.stack/demo-mapping.csv`. */
export function writeDemoOperatorFiles(config: StackConfig, now = Date.now()): { connector: string; mapping: string } {
  const lp = config.emulators.liveperson;
  const file = demoConnectorFile({
    name: config.demo.connector,
    accountId: lp.account,
    lpUrl: `http://127.0.0.1:${lp.port}`,
    graphUrl: `http://127.0.0.1:${config.emulators.graph.port}`,
    startDate: demoStartDate(now, lp.days),
  });
  writeAtomically(
    DEMO_CONNECTOR_PATH,
    `# The demo connector against the local stack (written by npm run stack / npm run demo; rewritten at each start).\n` +
      `# Credentials come from .stack/env (credentialsRef names the variables); no secret is in this file.\n${toYaml(file)}`,
  );
  const gaps = demoMappingGaps(config);
  writeAtomically(
    DEMO_MAPPING_PATH,
    [
      '# Maps the demo agents without a usable mailbox to a licensed one (what an operator would do in production).',
      'lpUser,m365User',
      ...[...gaps.unlicensed, ...gaps.notInDirectory].map((a) => `${a.id},${gaps.licensed.email}`),
      '',
    ].join('\n'),
  );
  return { connector: DEMO_CONNECTOR_PATH, mapping: DEMO_MAPPING_PATH };
}

/** Project-relative form of a path we wrote, for commands to copy. */
export function rel(file: string): string {
  return path.relative(fromProjectRoot('.'), file);
}

/** The commands an operator can run in a second terminal, verbatim (the environment comes from .stack/env). */
export function operatorCommands(config: StackConfig, opts: { readonly workerRunning: boolean }): string[] {
  const name = config.demo.connector;
  const connectorFile = rel(DEMO_CONNECTOR_PATH);
  const mailbox = demoMappingGaps(config).licensed.email;
  return [
    ...(opts.workerRunning ? [] : ['npm run worker', `npm run starter -- connector start ${connectorFile}`]),
    'npm run starter -- connector list',
    `npm run starter -- connector status ${name}`,
    `npm run starter -- connector status ${name} --watch`,
    `npm run starter -- log ${name}`,
    `npm run starter -- log ${name} -o csv --out ${name}-log.csv`,
    `npm run starter -- connector pause ${name}`,
    `npm run starter -- connector resume ${name}`,
    `npm run starter -- connector run-now ${name}`,
    `npm run starter -- check ${connectorFile} --mailbox ${mailbox}`,
    `npm run starter -- dry-run ${connectorFile} --limit 3`,
    `npm run starter -- mapping validate ${rel(DEMO_MAPPING_PATH)} --directory ${connectorFile}`,
  ];
}

/** Why about one item in ten fails in the demo, and what an operator would do about it in production. */
export function explainMappingGaps(config: StackConfig): string[] {
  const gaps = demoMappingGaps(config);
  const who = (a: TenantAgent): string => `agent ${a.id} (${a.email})`;
  return [
    'Failed items in the demo are deliberate mapping gaps of the emulated tenant, not faults:',
    ...gaps.unlicensed.map((a) => `  ${who(a)} is in the directory but has no licensed mailbox`),
    ...gaps.notInDirectory.map((a) => `  ${who(a)} is not in the Microsoft 365 directory`),
    "Each conversation they took part in is logged as failed for them (as Microsoft's connector log counts it);",
    `the other participants still get it. In production: map them in the mapping CSV (graph.mappingCsvPath) or license the mailbox;`,
    `check a CSV first: npm run starter -- mapping validate ${rel(DEMO_MAPPING_PATH)} --directory ${rel(DEMO_CONNECTOR_PATH)}`,
  ];
}

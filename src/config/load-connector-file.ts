import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { ConnectorConfig } from '../model';
import { ConfigError, parseConnectorConfig } from './connector-schema';

/** Reads a connector config from a YAML or JSON file and validates it. */
export async function loadConnectorFile(path: string, now = Date.now()): Promise<ConnectorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`]);
  }
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError([`${path}: is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'} (${(err as Error).message.split('\n')[0]})`]);
  }
  return parseConnectorConfig(data, now);
}

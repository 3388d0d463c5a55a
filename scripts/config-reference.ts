/** Writes docs/configuration.md from the connector config schema (npm run docs:config). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configReferenceMarkdown } from '../src/config/config-reference';

const target = join(__dirname, '..', 'docs', 'configuration.md');
writeFileSync(target, configReferenceMarkdown());
console.log(`wrote ${target}`);

import { formatDuration } from '../model';
import { CONFIG_FIELDS, keyOf, type ConfigField } from './config-fields';

const DURATION_FIELDS = /(Window|[lL]ag|Interval|Sweep|Age|Duration|Check|Recheck)$/;

function defaultText(field: ConfigField): string {
  if (field.defaultValue === undefined) return field.required ? 'required' : '—';
  const v = field.defaultValue;
  if (typeof v === 'number' && DURATION_FIELDS.test(keyOf(field))) return `\`${formatDuration(v)}\``;
  if (Array.isArray(v)) return `\`[${v.join(', ')}]\``;
  if (typeof v === 'object') return '(see below)';
  return `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
}

function row(field: ConfigField): string {
  const values = field.values ? ` One of: ${field.values.map((v) => `\`${v}\``).join(', ')}.` : '';
  const example = field.doc?.example !== undefined ? ` Example: \`${field.doc.example}\`.` : '';
  const text = `${field.doc?.description ?? ''}${values}${example}`.replace(/\|/g, '\\|');
  return `| \`${field.path}\` | ${defaultText(field)} | ${text} |`;
}

/**
 * The configuration reference, rendered from the schema itself (npm run docs:config writes
 * docs/configuration.md; a test fails when the file and the schema disagree).
 */
export function configReferenceMarkdown(): string {
  const sections = (CONFIG_FIELDS.fields ?? []).map((top) => {
    const leaves = top.fields ?? [top];
    return [`## \`${top.path}\``, '', '| field | default | what it does |', '|---|---|---|', ...leaves.map(row), ''].join('\n');
  });
  return [
    '# Connector configuration reference',
    '',
    '<!-- Generated from src/model/connector-config.ts by `npm run docs:config`; do not edit by hand. -->',
    '',
    'A connector is one YAML or JSON file (see `examples/`). Unknown keys are refused with the nearest known key',
    '("did you mean folderName?"); every wrong or missing field is reported with what it expects. Durations are',
    'written with a unit: `ms`, `s`, `m`, `h`, `d` (e.g. `90s`, `5m`, `1d`). Secrets never go in this file:',
    '`credentialsRef` names the prefix of the environment variables the worker reads.',
    '',
    ...sections,
  ].join('\n');
}

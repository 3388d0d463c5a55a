import type { z } from 'zod';
import type { FieldDoc } from '../model';
import { connectorFileSchema } from '../model/connector-schema';

/** One field of the connector file format, as the docs and the error messages describe it. */
export interface ConfigField {
  /** Dotted path, e.g. `schedule.lag`. */
  readonly path: string;
  readonly doc?: FieldDoc;
  readonly required: boolean;
  /** The default as written in a file (durations in ms, as zod holds them). */
  readonly defaultValue?: unknown;
  /** Allowed values, for enums. */
  readonly values?: readonly string[];
  /** Nested fields, for objects. */
  readonly fields?: readonly ConfigField[];
}

type AnySchema = z.ZodType;

interface Def {
  readonly type: string;
  readonly innerType?: AnySchema;
  readonly in?: AnySchema;
  readonly defaultValue?: unknown;
  readonly entries?: Record<string, string>;
  readonly options?: readonly AnySchema[];
  readonly shape?: Record<string, AnySchema>;
}

const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Looks through default/optional/pipe wrappers to the schema that holds the field's shape or values. */
function unwrap(s: AnySchema): { core: AnySchema; required: boolean; defaultValue?: unknown } {
  let core = s;
  let required = true;
  let defaultValue: unknown;
  for (let i = 0; i < 10; i++) {
    const def = defOf(core);
    if (def.type === 'default') {
      required = false;
      defaultValue = def.defaultValue;
      core = def.innerType!;
    } else if (def.type === 'optional') {
      required = false;
      core = def.innerType!;
    } else if (def.type === 'pipe') core = def.in!;
    else break;
  }
  return { core, required, ...(defaultValue !== undefined ? { defaultValue } : {}) };
}

function fieldOf(path: string, schema: AnySchema): ConfigField {
  const { core, required, defaultValue } = unwrap(schema);
  const meta = (schema as unknown as { meta(): FieldDoc | undefined }).meta();
  const def = defOf(core);
  const shape = def.type === 'object' ? (core as unknown as { shape: Record<string, AnySchema> }).shape : undefined;
  return {
    path,
    ...(meta?.description ? { doc: meta } : {}),
    required,
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    ...(def.type === 'enum' && def.entries ? { values: Object.values(def.entries) } : {}),
    ...(shape ? { fields: Object.entries(shape).map(([k, v]) => fieldOf(path ? `${path}.${k}` : k, v)) } : {}),
  };
}

/** Every field of the connector file format, from the schema itself (so docs and messages cannot drift from it). */
export const CONFIG_FIELDS: ConfigField = fieldOf('', connectorFileSchema);

/** The field at a path (array of keys), or undefined when the path leaves the schema. */
export function fieldAt(path: readonly PropertyKey[]): ConfigField | undefined {
  let field: ConfigField | undefined = CONFIG_FIELDS;
  for (const key of path) {
    field = field?.fields?.find((f) => f.path.split('.').at(-1) === String(key));
    if (!field) return undefined;
  }
  return field;
}

/** The last key of a field's path. */
export function keyOf(field: ConfigField): string {
  return field.path.split('.').at(-1) ?? field.path;
}

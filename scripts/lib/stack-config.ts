import * as fs from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { StackConfigError } from './errors';
import { STACK_CONFIG_FILE } from './paths';
import { SEARCH_ATTRIBUTE_TYPES } from './temporal-server';

const port = z.number().int().min(1).max(65535);

const emulatorBase = {
  port,
  seed: z.number().int().nonnegative().default(42),
  /** Passed through to the emulator's CLI unchanged. */
  extraArgs: z.array(z.string()).default([]),
};

/** Schema of temporal-dev.yaml. Unknown keys are errors, so a typo is reported instead of ignored. */
export const stackConfigSchema = z
  .strictObject({
    temporal: z.strictObject({
      cli: z.strictObject({ version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version like 1.9.1') }),
      port,
      uiPort: port,
      dbFile: z.string().min(1),
      namespace: z.string().min(1).default('default'),
      searchAttributes: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an identifier'), z.enum(SEARCH_ATTRIBUTE_TYPES)).default({}),
      dynamicConfig: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
      /** Optional: the codec server started with Temporal, so the Web UI shows decrypted payloads. */
      codecServer: z.strictObject({ port, secretsDir: z.string().min(1) }).optional(),
    }),
    azurite: z.strictObject({
      port,
      location: z.string().min(1),
      containerPrefix: z.string().default('lparchive-'),
    }),
    emulators: z.strictObject({
      liveperson: z.strictObject({
        ...emulatorBase,
        account: z.coerce.string().regex(/^\d+$/, 'digits only (a LivePerson account id)'),
        conversations: z.number().int().nonnegative(),
        days: z.number().int().positive(),
        livePerMinute: z.number().int().nonnegative(),
        /** Legacy chats (Engagement History) generated over `days`, and ending per minute after the start. */
        chats: z.number().int().nonnegative().default(0),
        chatLivePerMinute: z.number().int().nonnegative().default(0),
      }),
      graph: z.strictObject(emulatorBase),
      /** Optional: the dev OpenID Connect provider (console sign-in, codec-server tokens). */
      identity: z.strictObject({ port }).optional(),
    }),
    /** Optional: the connector console (needs emulators.identity for sign-in). */
    console: z.strictObject({ port }).optional(),
    worker: z.strictObject({ metricsPort: port, taskQueue: z.string().min(1) }),
    demo: z.strictObject({ connector: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and hyphens') }),
  })
  .superRefine((config, ctx) => {
    // Two services on one port would fail at start with a confusing message; say it here instead.
    const seen = new Map<number, string>();
    for (const [key, value] of Object.entries(stackPorts(config))) {
      const other = seen.get(value);
      if (other) ctx.addIssue({ code: 'custom', path: key.split('.'), message: `port ${value} is also used by ${other}` });
      else seen.set(value, key);
    }
  });

/** Every port the stack binds, keyed by its setting in temporal-dev.yaml. */
export function stackPorts(config: {
  temporal: { port: number; uiPort: number; codecServer?: { port: number } };
  azurite: { port: number };
  emulators: { liveperson: { port: number }; graph: { port: number }; identity?: { port: number } };
  console?: { port: number };
  worker: { metricsPort: number };
}): Record<string, number> {
  return {
    'temporal.port': config.temporal.port,
    'temporal.uiPort': config.temporal.uiPort,
    ...(config.temporal.codecServer ? { 'temporal.codecServer.port': config.temporal.codecServer.port } : {}),
    'azurite.port': config.azurite.port,
    'emulators.liveperson.port': config.emulators.liveperson.port,
    'emulators.graph.port': config.emulators.graph.port,
    ...(config.emulators.identity ? { 'emulators.identity.port': config.emulators.identity.port } : {}),
    ...(config.console ? { 'console.port': config.console.port } : {}),
    'worker.metricsPort': config.worker.metricsPort,
  };
}

/** The validated contents of temporal-dev.yaml. */
export type StackConfig = z.infer<typeof stackConfigSchema>;

/** Validates an already-parsed document (tests, or a config built in code). */
export function parseStackConfig(document: unknown, file = 'temporal-dev.yaml'): StackConfig {
  const result = stackConfigSchema.safeParse(document);
  if (result.success) return result.data;
  throw new StackConfigError(
    file,
    result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`),
  );
}

/**
 * Reads and validates temporal-dev.yaml.
 * @throws StackConfigError naming the file and each bad field (or the YAML line of a syntax error)
 */
export function loadStackConfig(file: string = STACK_CONFIG_FILE): StackConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new StackConfigError(file, [
      `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); run from the project root or pass the path`,
    ]);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new StackConfigError(file, [`YAML syntax error${where}: ${(err as Error).message.split('\n')[0] ?? ''}`]);
  }
  return parseStackConfig(document, file);
}

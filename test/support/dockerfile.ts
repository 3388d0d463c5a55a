import * as fs from 'node:fs';
import { DockerfileParser, type Copy, type Env, type Instruction, type JSONInstruction } from 'dockerfile-ast';

/** One instruction of a stage, in the terms the image tests need. */
export interface StageInstruction {
  readonly keyword: string;
  /** Arguments as written (flags excluded for COPY). */
  readonly args: readonly string[];
  /** The whole argument text, e.g. a RUN's shell command. */
  readonly text: string;
  /** `COPY --from=<stage>`. */
  readonly from?: string;
  /** Exec-form (JSON) arguments of CMD / ENTRYPOINT / HEALTHCHECK CMD; undefined for the shell form. */
  readonly json?: readonly string[];
  /** ENV / ARG name=value pairs (ARG without a default: undefined). */
  readonly properties?: readonly (readonly [string, string | undefined])[];
}

/** A build stage: `FROM <image> AS <name>` and what follows it. */
export interface Stage {
  readonly name?: string;
  readonly image: string;
  readonly instructions: readonly StageInstruction[];
}

/** A Dockerfile as stages, with the ARGs declared before the first FROM. */
export interface ParsedDockerfile {
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  readonly stages: readonly Stage[];
}

function toStageInstruction(i: Instruction): StageInstruction {
  const keyword = i.getKeyword();
  const base = { keyword, args: i.getArguments().map((a) => a.getValue()), text: i.getArgumentsContent() ?? '' };
  switch (keyword) {
    case 'COPY': {
      const from = (i as Copy).getFromFlag()?.getValue() ?? undefined;
      const args = i.getArguments().map((a) => a.getValue());
      return { ...base, args, ...(from ? { from } : {}) };
    }
    case 'CMD':
    case 'ENTRYPOINT': {
      const json = (i as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
      return { ...base, ...(json.length > 0 ? { json } : {}) };
    }
    case 'ENV':
    case 'ARG':
      return { ...base, properties: (i as Env).getProperties().map((p) => [p.getName(), p.getValue() ?? undefined] as const) };
    default:
      return base;
  }
}

/** Parses a Dockerfile (with dockerfile-ast) into its stages. */
export function readDockerfile(file: string): ParsedDockerfile {
  const df = DockerfileParser.parse(fs.readFileSync(file, 'utf8'));
  const globalArgs = new Map<string, string | undefined>();
  const stages: { name?: string; image: string; instructions: StageInstruction[] }[] = [];
  for (const i of df.getInstructions()) {
    const keyword = i.getKeyword();
    if (keyword === 'FROM') {
      const args = i.getArguments().map((a) => a.getValue());
      const as = args.findIndex((a) => a.toUpperCase() === 'AS');
      stages.push({ image: args[0] ?? '', ...(as >= 0 && args[as + 1] ? { name: args[as + 1] } : {}), instructions: [] });
      continue;
    }
    const current = stages.at(-1);
    if (current) current.instructions.push(toStageInstruction(i));
    else if (keyword === 'ARG') for (const [k, v] of toStageInstruction(i).properties ?? []) globalArgs.set(k, v);
  }
  return { globalArgs, stages };
}

/** The last WORKDIR of a stage (absolute paths only; the image tests need nothing else). */
export function workdirOf(stage: Stage): string {
  const w = stage.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args[0];
  if (!w?.startsWith('/')) throw new Error(`stage ${stage.name ?? '?'} has no absolute WORKDIR`);
  return w;
}

/** Expands `${NAME}` and `$NAME` as the builder does, from `vars` (unknown names become ''). */
export function expand(value: string, vars: ReadonlyMap<string, string | undefined>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => vars.get((a ?? b)!) ?? '');
}

/**
 * The environment a stage's container starts with: its ENV instructions in order, `${ARG}` expanded from its
 * ARG defaults, overridden by `buildArgs` (as `docker build --build-arg` does).
 */
export function stageEnv(stage: Stage, buildArgs: Readonly<Record<string, string>> = {}): Map<string, string> {
  const vars = new Map<string, string | undefined>();
  const env = new Map<string, string>();
  for (const i of stage.instructions) {
    if (i.keyword === 'ARG') for (const [k, v] of i.properties ?? []) vars.set(k, buildArgs[k] ?? v);
    if (i.keyword === 'ENV')
      for (const [k, v] of i.properties ?? []) {
        const value = expand(v ?? '', vars);
        env.set(k, value);
        vars.set(k, value);
      }
  }
  return env;
}

/**
 * Keeps credentials out of logs and error messages: what a worker prints, and what an activity failure
 * carries into workflow history, goes through {@link redactSecrets} first.
 */

type Env = Readonly<Record<string, string | undefined>>;

export const REDACTED = '[REDACTED]';

/** Shapes of credentials whatever their source: header values, form/query/JSON fields, JWTs, Azure keys. */
const PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [
    /\b(client_secret|client_assertion|access_token|refresh_token|id_token|password|oauth_signature|oauth_token|oauth_consumer_key)(["']?\s*[=:]\s*["']?)[^\s&"',;}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // The signature of an Azure SAS URL.
  [/([?&]sig=)[^&\s"']+/gi, `$1${REDACTED}`],
  [/\b(AccountKey|SharedAccessSignature|SharedAccessKey)=[^;\s"']+/gi, `$1=${REDACTED}`],
];

/** Environment variables whose values are secrets (ids such as *_CLIENT_ID and *_TENANT_ID are not). */
const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|ACCOUNT_KEY|CONSUMER_KEY|CONNECTION_STRING|CODEC_KEYS)/i;
/** Shorter values ("true", "1") would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** The secret values in `env`, longest first (so a value containing another is replaced whole). */
export function knownSecretValues(env: Env = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || !SECRET_NAME.test(name)) continue;
    if (value.length >= MIN_SECRET_LENGTH) values.add(value);
    // A key list (LPA_CODEC_KEYS=id:key,id:key): each key on its own, as an error might quote one.
    for (const part of value.split(/[,;\n]/)) {
      const material = part.slice(part.indexOf(':') + 1).trim();
      if (material.length >= 16) values.add(material);
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * `text` with bearer/basic credentials, JWTs, `client_secret=`-style fields, Azure account keys and the
 * values of the secret environment variables in `env` replaced by [REDACTED].
 */
export function redactSecrets(text: string, env: Env = process.env): string {
  let out = text;
  for (const secret of knownSecretValues(env)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Redacts an error's message and stack in place, and those of its causes: Temporal copies message, stack
 * and cause chain into the failure it records in history.
 */
export function redactError<T>(err: T, env: Env = process.env): T {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    current.message = redactSecrets(current.message, env);
    if (current.stack) current.stack = redactSecrets(current.stack, env);
    current = current.cause;
  }
  return err;
}

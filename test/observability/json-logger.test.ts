import { createJsonLogger, InvalidLogLevelError, logLevelFromEnv } from '../../src/observability';

function capture(level?: 'DEBUG' | 'INFO' | 'WARN') {
  const lines: string[] = [];
  const logger = createJsonLogger({ ...(level ? { level } : {}), write: (l) => lines.push(l) });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('JSON logger', () => {
  it('writes one parseable JSON object per entry with time, level, message and the context fields', () => {
    const { logger, lines, parsed } = capture();
    logger.info('window done', {
      connector: 'contoso-eu',
      windowFrom: '2026-03-02T10:00:00.000Z',
      page: 2,
      workflowId: 'lp-archive/contoso-eu',
    });
    logger.warn('second line');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    const [first, second] = parsed();
    expect(first).toMatchObject({
      level: 'INFO',
      msg: 'window done',
      connector: 'contoso-eu',
      windowFrom: '2026-03-02T10:00:00.000Z',
      page: 2,
      workflowId: 'lp-archive/contoso-eu',
    });
    expect(Math.abs(Date.parse(String(first?.time)) - Date.now())).toBeLessThan(5_000);
    expect(second).toMatchObject({ level: 'WARN', msg: 'second line' });
  });

  it('keeps its own time, level and msg even when the context has fields of the same name', () => {
    const { logger, parsed } = capture();
    logger.error('real message', { msg: 'fake', level: 'TRACE', time: 'yesterday' });
    expect(parsed()[0]).toMatchObject({ msg: 'real message', level: 'ERROR' });
    expect(parsed()[0]?.time).not.toBe('yesterday');
  });

  it('filters below its level', () => {
    const { logger, parsed } = capture('WARN');
    logger.debug('no');
    logger.info('no');
    logger.warn('yes');
    expect(parsed().map((l) => l.msg)).toEqual(['yes']);
  });

  it('prints errors with name, message and type, and survives bigints and cycles', () => {
    const { logger, parsed } = capture();
    const err = Object.assign(new Error('mailbox not found'), { type: 'MailboxNotFound' });
    logger.warn('Activity failed', { error: err, durationNanos: 12n });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    logger.info('cyclic', { cyclic });
    const [failed, cyc] = parsed();
    expect(failed).toMatchObject({ error: { name: 'Error', message: 'mailbox not found', type: 'MailboxNotFound' }, durationNanos: 12 });
    expect(cyc).toMatchObject({ msg: 'cyclic', level: 'INFO' });
    expect(typeof cyc?.logError).toBe('string');
  });
});

describe('activity task tokens', () => {
  const token = 'CiQ4ZTM2'.repeat(25); // ~200 characters of base64, as the SDK adds to every activity line
  const activity = { activityType: 'importPage', attempt: 1, taskToken: token, connector: 'contoso-eu' };

  it('are left out of INFO, WARN and ERROR lines, the rest of the context kept', () => {
    const { logger, lines, parsed } = capture('DEBUG');
    logger.info('importPage done', activity);
    logger.warn('Activity failed', activity);
    logger.error('Activity failed', activity);
    expect(lines.every((l) => !l.includes(token))).toBe(true);
    for (const line of parsed()) {
      expect(line).not.toHaveProperty('taskToken');
      expect(line).toMatchObject({ activityType: 'importPage', attempt: 1, connector: 'contoso-eu' });
    }
  });

  it('are kept at DEBUG, for whoever completes an activity by hand', () => {
    const { logger, parsed } = capture('DEBUG');
    logger.debug('Activity started', activity);
    expect(parsed()[0]).toMatchObject({ level: 'DEBUG', taskToken: token });
  });
});

describe('logLevelFromEnv', () => {
  it('defaults to INFO and accepts any case', () => {
    expect(logLevelFromEnv({})).toBe('INFO');
    expect(logLevelFromEnv({ LPA_LOG_LEVEL: 'debug' })).toBe('DEBUG');
  });

  it('refuses an unknown level, naming the variable and the choices', () => {
    expect(() => logLevelFromEnv({ LPA_LOG_LEVEL: 'verbose' })).toThrow(InvalidLogLevelError);
    expect(() => logLevelFromEnv({ LPA_LOG_LEVEL: 'verbose' })).toThrow(
      /LPA_LOG_LEVEL is 'verbose'; use one of TRACE, DEBUG, INFO, WARN, ERROR/,
    );
  });
});

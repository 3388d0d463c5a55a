import {
  activityConcurrencyFromEnv,
  DEFAULT_ITEM_MEMORY_MB,
  DEFAULT_MAX_CONCURRENT_ACTIVITIES,
  itemMemoryFromEnv,
  mallocAdvice,
  missingNodeFlags,
  nodeFlagsAdvice,
  RECOMMENDED_MALLOC_ENV,
  RECOMMENDED_NODE_FLAGS,
  WorkerEnvError,
  workflowCodeFromEnv,
} from '../../src/config/worker-env';

describe('worker environment', () => {
  it('bundles at start unless LPA_WORKFLOW_BUNDLE names a bundle', () => {
    expect(workflowCodeFromEnv({})).toEqual({});
    expect(workflowCodeFromEnv({ LPA_WORKFLOW_BUNDLE: '' })).toEqual({});
    expect(workflowCodeFromEnv({ LPA_WORKFLOW_BUNDLE: '/opt/lp/bundle.js' }, () => true)).toEqual({ bundlePath: '/opt/lp/bundle.js' });
  });

  it('refuses a bundle path that does not exist, naming the variable and how to make the bundle', () => {
    expect(() => workflowCodeFromEnv({ LPA_WORKFLOW_BUNDLE: '/nope/bundle.js' }, () => false)).toThrow(WorkerEnvError);
    expect(() => workflowCodeFromEnv({ LPA_WORKFLOW_BUNDLE: '/nope/bundle.js' }, () => false)).toThrow(
      /LPA_WORKFLOW_BUNDLE.*npm run bundle:workflows -- --out \/nope\/bundle\.js/,
    );
  });

  it('bounds concurrent activities: default, explicit, and a clear refusal of nonsense', () => {
    expect(activityConcurrencyFromEnv({})).toBe(DEFAULT_MAX_CONCURRENT_ACTIVITIES);
    expect(activityConcurrencyFromEnv({ LPA_MAX_CONCURRENT_ACTIVITIES: '4' })).toBe(4);
    for (const bad of ['0', '-1', '2.5', 'many', '5000']) {
      expect(() => activityConcurrencyFromEnv({ LPA_MAX_CONCURRENT_ACTIVITIES: bad })).toThrow(
        /LPA_MAX_CONCURRENT_ACTIVITIES must be a whole number from 1 to 1000/,
      );
    }
  });

  it('reads the memory budget for items in MB (default 64), refusing what is not a sensible whole number', () => {
    expect(itemMemoryFromEnv({})).toBe(DEFAULT_ITEM_MEMORY_MB * 1024 * 1024);
    expect(DEFAULT_ITEM_MEMORY_MB).toBe(64);
    expect(itemMemoryFromEnv({ LPA_ITEM_MEMORY_MB: '512' })).toBe(512 * 1024 * 1024);
    for (const bad of ['0', '7', '1.5', 'lots', '100000']) {
      expect(() => itemMemoryFromEnv({ LPA_ITEM_MEMORY_MB: bad })).toThrow(
        /LPA_ITEM_MEMORY_MB must be a whole number of megabytes from 8 to 65536.*unset it for the default \(64\)/,
      );
    }
  });

  describe('allocator advice', () => {
    it('names the unset glibc malloc variables and the exact settings to start the worker with', () => {
      const line = mallocAdvice({ MALLOC_ARENA_MAX: '4' }, { glibc: '2.36' });
      expect(line).toContain('MALLOC_MMAP_THRESHOLD_ unset');
      expect(line).not.toContain('MALLOC_ARENA_MAX,');
      expect(line).toContain('MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=65536');
    });

    it('is silent when both are set (to any value) or the C library is not glibc', () => {
      expect(mallocAdvice({ ...RECOMMENDED_MALLOC_ENV }, { glibc: '2.36' })).toBeUndefined();
      expect(mallocAdvice({ MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: '65536' }, { glibc: '2.36' })).toBeUndefined();
      expect(mallocAdvice({}, {})).toBeUndefined();
    });
  });

  describe('V8 flag advice', () => {
    it('names the missing flag and the command line that sets it', () => {
      const line = nodeFlagsAdvice([], {});
      expect(line).toContain('--max-semi-space-size unset');
      expect(line).toContain('node --max-semi-space-size=4 dist/src/worker.js');
      expect(missingNodeFlags(['--enable-source-maps'], { NODE_OPTIONS: '--max-old-space-size=512' })).toEqual([...RECOMMENDED_NODE_FLAGS]);
    });

    it('is silent when the command line or NODE_OPTIONS sets it, at any value and in either spelling', () => {
      expect(nodeFlagsAdvice(['--max-semi-space-size=4'], {})).toBeUndefined();
      expect(nodeFlagsAdvice(['--max_semi_space_size=8'], {})).toBeUndefined();
      expect(nodeFlagsAdvice([], { NODE_OPTIONS: '--require ./x.js --max-semi-space-size=16' })).toBeUndefined();
    });
  });
});

import { controlOutcome, type ConnectorNow, type ControlVerb } from '../../src/cli/control-outcome';

const says = (verb: ControlVerb, now: ConnectorNow) => controlOutcome(verb, 'emea', now);

describe('control commands say what will really happen in the connector state', () => {
  it('pause: nothing on a paused connector; at once when idle; after the window when one runs', () => {
    expect(says('pause', { state: 'paused', cursor: 'T' })).toEqual({
      send: false,
      ok: true,
      effect: 'is already paused (cursor T); nothing changes. "connector resume emea" carries on.',
    });
    expect(says('pause', { state: 'live', inWindow: false })).toMatchObject({ send: true, ok: true, effect: 'pauses now.' });
    expect(says('pause', { state: 'catching-up', inWindow: true })).toMatchObject({
      send: true,
      effect: expect.stringMatching(/^will pause once its current window is done/),
    });
    expect(says('pause', { state: 'needs-credentials', inWindow: true }).effect).toMatch(/waits for an operator .*credentials are fixed/);
  });

  it('resume: nothing on a running connector; from the cursor when paused; a retry when backing off', () => {
    expect(says('resume', { state: 'live', inWindow: false })).toEqual({
      send: false,
      ok: true,
      effect: 'is not paused (live); nothing changes.',
    });
    // A pause sent during a window is pending (the state still says catching-up): resume cancels it.
    expect(says('resume', { state: 'catching-up', inWindow: true })).toEqual({
      send: true,
      ok: true,
      effect: 'is running (catching-up), not paused; a pause asked for during its current window is cancelled.',
    });
    expect(says('resume', { state: 'paused', cursor: 'T' })).toMatchObject({ send: true, effect: 'resumes from its cursor (cursor T).' });
    expect(says('resume', { state: 'failing', inWindow: true })).toMatchObject({
      send: true,
      effect: expect.stringMatching(/retries its failed step now/),
    });
  });

  it('run-now: refused on a paused connector (exit 1) with the fix; collects now when idle', () => {
    expect(says('run-now', { state: 'paused' })).toEqual({
      send: false,
      ok: false,
      effect: 'is paused, so run-now would collect nothing. Resume it: "connector resume emea" (it carries on from its cursor).',
    });
    expect(says('run-now', { state: 'live', inWindow: false })).toMatchObject({
      send: true,
      ok: true,
      effect: 'collects now instead of waiting for its next poll.',
    });
    expect(says('run-now', { state: 'catching-up', inWindow: true })).toMatchObject({ send: false, ok: true });
    expect(says('run-now', { state: 'live', inWindow: true }).effect).toMatch(/collects again right after it/);
  });

  it('stop: at once when paused or idle, after the window otherwise; hedges when no worker answered', () => {
    expect(says('stop', { state: 'paused' })).toMatchObject({ send: true, effect: expect.stringMatching(/^stops now/) });
    expect(says('stop', { state: 'live', inWindow: true })).toMatchObject({
      send: true,
      effect: expect.stringMatching(/^will stop once its current window is done/),
    });
    expect(says('stop', { state: 'stopped' })).toMatchObject({ send: false, ok: true });
    expect(says('pause', {}).effect).toMatch(/no worker answered/);
  });
});

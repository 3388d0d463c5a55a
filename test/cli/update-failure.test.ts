import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { CliError } from '../../src/cli/errors';
import { isUnprocessedUpdate, updateFailure } from '../../src/cli/update-failure';

/** The shape the client gives an update whose workflow task no worker processed (seen in the fault suite's kills). */
const unprocessed = () =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({ type: 'UnprocessedUpdate', message: 'not processed' }),
  );
const refused = () =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({ type: 'InvalidRange', message: 'to is after the cursor' }),
  );

const failureOf = (err: unknown, refusal?: string): unknown => {
  try {
    updateFailure('eu-chat', err, refusal);
  } catch (e) {
    return e;
  }
  throw new Error('updateFailure returned');
};

describe('update failures as the CLI reports them', () => {
  it('an unprocessed update says nothing was applied and to run the command again', () => {
    expect(isUnprocessedUpdate(unprocessed())).toBe(true);
    const e = failureOf(unprocessed());
    expect(e).toBeInstanceOf(CliError);
    expect((e as Error).message).toMatch(/Connector "eu-chat" did not receive the request/);
    expect((e as Error).message).toMatch(/Nothing was applied; run the same command again/);
  });

  it("a refusal carries the workflow's reason after the verb given", () => {
    expect(isUnprocessedUpdate(refused())).toBe(false);
    expect((failureOf(refused()) as Error).message).toBe('Connector "eu-chat" refused: to is after the cursor');
    expect((failureOf(refused(), 'refused the new configuration') as Error).message).toBe(
      'Connector "eu-chat" refused the new configuration: to is after the cursor',
    );
  });

  it('any other error passes through unchanged', () => {
    const other = new Error('connection refused');
    expect(failureOf(other)).toBe(other);
    expect(isUnprocessedUpdate(other)).toBe(false);
  });
});

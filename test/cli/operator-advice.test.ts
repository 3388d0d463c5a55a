import { describeFailure } from '../../src/cli/errors';
import { MissingSecretError } from '../../src/config/secrets';

describe('failures are worded for the operator at the terminal, not for the worker', () => {
  it('a missing setting names the variable and how to give it to this command', () => {
    const err = new MissingSecretError('AZURE_STORAGE_CONNECTION_STRING', 'the Azure Blob Storage account');
    expect(err.message).toMatch(/where the worker runs/); // the worker's own wording stays for the worker's log
    const none = describeFailure(err);
    expect(none).toMatchObject({ exitCode: 1, code: 'missing-setting' });
    expect(none.message).toBe(
      'This command needs AZURE_STORAGE_CONNECTION_STRING (the Azure Blob Storage account). Against the local stack, start it (npm run stack or npm run demo: they write .stack/env, which this command reads) or pass --env-file <file>; elsewhere export AZURE_STORAGE_CONNECTION_STRING.',
    );
    const fromFile = describeFailure(err, '/srv/lp/.stack/env');
    expect(fromFile.message).toMatch(
      /It is not in \/srv\/lp\/\.stack\/env either: pass --env-file <file> with it, or export AZURE_STORAGE_CONNECTION_STRING\.$/,
    );
    expect(`${none.message} ${fromFile.message}`).not.toMatch(/worker runs|reconfigure or resume/);
  });

  it('payloads the CLI cannot decrypt ("Unknown encoding: binary/encrypted") say where the key comes from', () => {
    const f = describeFailure(new Error('Unknown encoding: binary/encrypted'));
    expect(f).toMatchObject({ exitCode: 1, code: 'cannot-decrypt' });
    expect(f.message).toMatch(
      /payloads are encrypted and this command cannot read them .*npm run stack or npm run demo write \.stack\/env with LPA_CODEC_KEYS_FILE.*--env-file/,
    );
  });
});

import { Readable } from 'node:stream';
import { linesOf } from '../../src/storage/lines';

async function all(chunks: (Buffer | string)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of linesOf(Readable.from(chunks, { objectMode: true }) as AsyncIterable<Buffer | string>)) out.push(line);
  return out;
}

describe('linesOf: the lines of a byte stream, pulled as they are consumed', () => {
  it('splits on LF and CRLF, keeps empty lines, returns a last line without a newline, and joins UTF-8 split across chunks', async () => {
    const euro = Buffer.from('€', 'utf8'); // 3 bytes
    const lines = await all([
      Buffer.from('{"a":1}\r\n{"b":"x'),
      euro.subarray(0, 1),
      Buffer.concat([euro.subarray(1), Buffer.from('y"}\n\n')]),
      'last',
    ]);
    expect(lines).toEqual(['{"a":1}', '{"b":"x€y"}', '', 'last']);
    expect(await all([])).toEqual([]);
    expect(await all(['one\n'])).toEqual(['one']);
  });

  it('does not read ahead: the first line of a long stream costs the chunks up to its end, not the stream', async () => {
    let pulled = 0;
    function* source(): Generator<Buffer> {
      for (let i = 0; i < 1_000; i++) {
        pulled++;
        yield Buffer.from(`{"n":${i},"pad":"${'x'.repeat(1_000)}"}\n`);
      }
    }
    const lines = linesOf(Readable.from(source(), { objectMode: true, highWaterMark: 1 }) as AsyncIterable<Buffer>);
    const first = await lines.next();
    expect(JSON.parse(first.value as string)).toMatchObject({ n: 0 });
    expect(pulled).toBeLessThanOrEqual(2);
    await lines.return(undefined);
  });
});

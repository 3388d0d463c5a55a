import { StringDecoder } from 'node:string_decoder';

/**
 * The lines of a byte stream, read only as fast as they are consumed: the next chunk is pulled when the
 * caller asks for a line the chunks so far do not hold. (`readline`'s async iterator reads ahead and queues
 * up to 1,024 lines: for a raw page of 200 conversations of ~150 KB each, that was the whole page in memory
 * per reader, measured in a heap snapshot of the worker.) `\n` and `\r\n` end a line; a last line without one
 * is returned too.
 */
export async function* linesOf(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunks) {
    const scanned = rest.length; // holds no newline: a long line is not searched again for every chunk
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let nl = rest.indexOf('\n', scanned); nl >= 0; nl = rest.indexOf('\n', start)) {
      yield withoutCr(rest.slice(start, nl));
      start = nl + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') yield withoutCr(rest);
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

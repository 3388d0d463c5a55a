import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';

/** What a Graph call sends: the fields of a fetch RequestInit that we use. */
export interface SendInit {
  readonly method?: string;
  /** A `Headers`, `[name, value][]` or a plain object, as fetch takes them. */
  readonly headers?: unknown;
  readonly body?: unknown;
  readonly signal?: AbortSignal | null;
}

/**
 * One HTTP exchange through undici's `request()` rather than `fetch()`: fetch copies every request body twice and
 * wraps both bodies in web streams, about twice the CPU of a Graph create with its item (bench/README.md). The
 * answer is read in full and handed back as a fetch `Response`, as the Graph SDK and our middleware expect.
 * Proxy and CA settings are the global dispatcher's, as for fetch. Redirects are not followed: Graph answers these
 * calls itself, and a redirect to another origin must not carry the token.
 */
export async function sendRequest(url: string, init: SendInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod;
  const res = await request(url, {
    method,
    headers: Object.fromEntries(new Headers(init.headers as ConstructorParameters<typeof Headers>[0])),
    body: bodyOf(init.body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const bytes = await res.body.arrayBuffer();
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const empty = method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
  return new Response(empty ? null : bytes, { status: res.statusCode, statusText: STATUS_CODES[res.statusCode] ?? '', headers });
}

/** The request body as undici takes it; bytes are passed on as they are, never copied. */
function bodyOf(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError(`Graph request body of an unsupported kind (${Object.prototype.toString.call(body)}): send a string or bytes.`);
}

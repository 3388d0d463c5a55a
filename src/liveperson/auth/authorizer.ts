/** Produces the `Authorization` header of an API request; OAuth2 and OAuth 1.0a implement it. */
export interface Authorizer {
  /** The header value for this request (OAuth 1.0a signs method + URL, so both are given). */
  header(method: string, url: string): Promise<string>;
  /** Called after a 401: drop a cached token so the next `header` fetches a fresh one. Returns false if nothing can change. */
  invalidate(): boolean;
  /** The worker settings that hold these credentials (for error messages). */
  readonly setting: string;
}

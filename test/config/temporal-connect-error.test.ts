import { explainTemporalConnectFailure, type TemporalConnectAttempt } from '../../src/config/temporal-connect-error';

/** The first lines of what the SDK's Rust core reports, as seen against a TLS front end that refuses us. */
const RESET_AFTER_HANDSHAKE = new Error(
  `Failed to call GetSystemInfo: code: 'Unknown error', message: "transport error", source: tonic::transport::Error(Transport, hyper::Error(Io, Kind(ConnectionReset)))`,
);
const UNKNOWN_ISSUER = new Error('transport error: invalid peer certificate: UnknownIssuer');
const UNAUTHENTICATED = new Error('Request unauthorized');

const attempt = (over: Partial<TemporalConnectAttempt>): TemporalConnectAttempt => ({
  address: 'tmprl.example:7233',
  tls: true,
  clientCertificate: false,
  apiKey: false,
  ...over,
});

describe('explainTemporalConnectFailure names the setting to fix', () => {
  it('a reset after the handshake, with a client certificate: the certificate was refused (TLS 1.3 rejects it late)', () => {
    const err = explainTemporalConnectFailure(RESET_AFTER_HANDSHAKE, attempt({ clientCertificate: true }));
    expect(err.message).toMatch(/^Cannot reach Temporal at tmprl\.example:7233 \(Failed to call GetSystemInfo/);
    expect(err.fix).toMatch(/the server refused the client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH/);
  });

  it('the same reset without a client certificate: the server wants one', () => {
    const err = explainTemporalConnectFailure(RESET_AFTER_HANDSHAKE, attempt({}));
    expect(err.fix).toMatch(/requires a client certificate \(mutual TLS\)/);
  });

  it('a reset on a plain connection: the server probably speaks TLS', () => {
    const err = explainTemporalConnectFailure(RESET_AFTER_HANDSHAKE, attempt({ tls: false }));
    expect(err.fix).toMatch(/set TEMPORAL_TLS=true/);
  });

  it("an untrusted server certificate points at the server's CA, not at the client certificate", () => {
    const err = explainTemporalConnectFailure(UNKNOWN_ISSUER, attempt({ clientCertificate: true }));
    expect(err.fix).toMatch(/TEMPORAL_TLS_SERVER_CA_CERT_PATH/);
  });

  it('an API key the server refuses', () => {
    const err = explainTemporalConnectFailure(UNAUTHENTICATED, attempt({ apiKey: true }));
    expect(err.fix).toMatch(/the server refused the API key/);
  });
});

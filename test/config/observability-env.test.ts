import {
  connectorMetricsIntervalFromEnv,
  DEFAULT_CONNECTOR_METRICS_INTERVAL_SECONDS,
  healthEndpointFromEnv,
  metricsHostFromEnv,
} from '../../src/config/observability-env';
import { WorkerEnvError } from '../../src/config/worker-env';

describe('observability environment of the worker', () => {
  it('binds the metrics exporter to loopback unless LPA_METRICS_HOST says otherwise (the image says 0.0.0.0)', () => {
    expect(metricsHostFromEnv({})).toBe('127.0.0.1');
    expect(metricsHostFromEnv({ LPA_METRICS_HOST: ' ' })).toBe('127.0.0.1');
    expect(metricsHostFromEnv({ LPA_METRICS_HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('serves no health endpoint unless LPA_HEALTH_PORT is set; its host follows the metrics host by default', () => {
    expect(healthEndpointFromEnv({})).toEqual({ host: '127.0.0.1' });
    expect(healthEndpointFromEnv({ LPA_HEALTH_PORT: '0' })).toEqual({ host: '127.0.0.1' });
    expect(healthEndpointFromEnv({ LPA_HEALTH_PORT: '9465', LPA_METRICS_HOST: '0.0.0.0' })).toEqual({ host: '0.0.0.0', port: 9465 });
    expect(healthEndpointFromEnv({ LPA_HEALTH_PORT: '9465', LPA_METRICS_HOST: '0.0.0.0', LPA_HEALTH_HOST: '10.0.0.5' })).toEqual({
      host: '10.0.0.5',
      port: 9465,
    });
  });

  it('refuses a health port that is not a port, naming the variable and the image default', () => {
    for (const bad of ['-1', '65536', '94.65', 'health']) {
      expect(() => healthEndpointFromEnv({ LPA_HEALTH_PORT: bad })).toThrow(WorkerEnvError);
      expect(() => healthEndpointFromEnv({ LPA_HEALTH_PORT: bad })).toThrow(/LPA_HEALTH_PORT must be a port number.*9465/);
    }
  });

  it('reads connector states from visibility every 30 s by default, at the interval given, or never with 0', () => {
    expect(connectorMetricsIntervalFromEnv({})).toBe(DEFAULT_CONNECTOR_METRICS_INTERVAL_SECONDS * 1000);
    expect(connectorMetricsIntervalFromEnv({ LPA_CONNECTOR_METRICS_INTERVAL: '5' })).toBe(5000);
    expect(connectorMetricsIntervalFromEnv({ LPA_CONNECTOR_METRICS_INTERVAL: '0' })).toBeUndefined();
    for (const bad of ['1.5', '-2', '3601', 'often']) {
      expect(() => connectorMetricsIntervalFromEnv({ LPA_CONNECTOR_METRICS_INTERVAL: bad })).toThrow(
        /LPA_CONNECTOR_METRICS_INTERVAL must be whole seconds from 0 \(off\) to 3600/,
      );
    }
  });
});

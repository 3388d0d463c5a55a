import type { MetricCounter, MetricGauge, MetricHistogram, MetricMeter, MetricTags, NumericMetricValueType } from '@temporalio/common';

/** One value a metric received, with its tags. */
export interface Recorded {
  readonly name: string;
  readonly kind: 'counter' | 'gauge' | 'histogram';
  readonly value: number;
  readonly tags: MetricTags;
}

/** A MetricMeter that keeps every value it is given, for asserting what our code emits. */
export class RecordingMeter implements MetricMeter {
  constructor(
    private readonly baseTags: MetricTags = {},
    /** Shared with meters made by {@link withTags}, so the parent sees everything. */
    readonly records: Recorded[] = [],
  ) {}

  /** Sum of a counter's adds whose tags include `tags`. */
  sum(name: string, tags: MetricTags = {}): number {
    return this.matching(name, tags).reduce((n, r) => n + r.value, 0);
  }

  /** Last value set on a gauge with tags including `tags`. */
  last(name: string, tags: MetricTags = {}): number | undefined {
    return this.matching(name, tags).at(-1)?.value;
  }

  private matching(name: string, tags: MetricTags): Recorded[] {
    return this.records.filter((r) => r.name === name && Object.entries(tags).every(([k, v]) => r.tags[k] === v));
  }

  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    const push = (value: number, tags: MetricTags) => this.records.push({ name, kind: 'counter', value, tags });
    const make = (tags: MetricTags): MetricCounter => ({
      name,
      unit,
      description,
      kind: 'counter',
      valueType: 'int',
      add: (value, extra) => push(value, { ...this.baseTags, ...tags, ...extra }),
      withTags: (more) => make({ ...tags, ...more }),
    });
    return make({});
  }

  createGauge(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricGauge {
    const make = (tags: MetricTags): MetricGauge => ({
      name,
      unit,
      description,
      kind: 'gauge',
      valueType,
      set: (value, extra) => void this.records.push({ name, kind: 'gauge', value, tags: { ...this.baseTags, ...tags, ...extra } }),
      withTags: (more) => make({ ...tags, ...more }),
    });
    return make({});
  }

  createHistogram(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricHistogram {
    const make = (tags: MetricTags): MetricHistogram => ({
      name,
      unit,
      description,
      kind: 'histogram',
      valueType,
      record: (value, extra) => void this.records.push({ name, kind: 'histogram', value, tags: { ...this.baseTags, ...tags, ...extra } }),
      withTags: (more) => make({ ...tags, ...more }),
    });
    return make({});
  }

  withTags(tags: MetricTags): MetricMeter {
    return new RecordingMeter({ ...this.baseTags, ...tags }, this.records);
  }
}

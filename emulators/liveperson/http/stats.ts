/** Counters the tests read through `GET /_emulator/stats` (e.g. "no retry storm": few requests). */
export interface EmulatorStats {
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  faults: {
    rate429: number;
    status500: number;
    status503: number;
    slow: number;
    partialResult: number;
    partialRecord: number;
    missingFile: number;
    expiredFileUrl: number;
    dropped: number;
    malformedJson: number;
  };
  tokensIssued: number;
  authFailures: number;
}

export function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    byRoute: {},
    byStatus: {},
    faults: {
      rate429: 0,
      status500: 0,
      status503: 0,
      slow: 0,
      partialResult: 0,
      partialRecord: 0,
      missingFile: 0,
      expiredFileUrl: 0,
      dropped: 0,
      malformedJson: 0,
    },
    tokensIssued: 0,
    authFailures: 0,
  };
}

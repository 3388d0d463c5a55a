/**
 * Shapes of the working blobs one batch passes from activity to activity (container `work`). A batch is the
 * unit one chain of activities handles (schedule.batchSize conversations); blob names still say `page`
 * (see src/model/keys.ts: they are deterministic keys that running windows rely on).
 */
import type { ParticipantKind, TimeWindow } from '../model';

/** A raw batch written as one JSON document (before raw batches became JSON lines, see storage/raw-batches.ts). */
export interface RawBatchFile {
  readonly window: TimeWindow;
  readonly page: number;
  readonly records: readonly unknown[];
}

export interface RoutingParticipant {
  readonly id: string;
  readonly kind: ParticipantKind;
  readonly loginName?: string;
  readonly email?: string;
  readonly routable: boolean;
}

/** A conversation that could not become an item: it is logged as failed, never dropped. */
export interface BatchFailure {
  readonly itemId: string;
  readonly version: string;
  readonly sourceUser: string;
  readonly reason: string;
}

/** An archive item as sealed: its blob, the sha256 of its bytes and how the seal went. */
export interface SealedRef {
  readonly itemBlob: string;
  readonly sha256: string;
  readonly size: number;
  /** `created`: written now; `exists`: an earlier attempt wrote the same bytes; `conflict`: other bytes were sealed, and kept. */
  readonly stagedStatus: 'created' | 'exists' | 'conflict';
}

export interface ConvertedItem {
  readonly conversationId: string;
  readonly version: string;
  readonly endTime: number;
  /**
   * The message as a working blob in `work`, for stage to seal: written by workers from before convert sealed
   * items itself (a converted file of a window in progress may still name one).
   */
  readonly workEml?: string;
  readonly size: number;
  readonly partialReasons: readonly string[];
  readonly participants: readonly RoutingParticipant[];
  /** The item as convert sealed it (stage passes it on). */
  readonly sealed?: SealedRef;
}

export interface ConvertedBatchFile {
  readonly items: readonly ConvertedItem[];
  readonly failures: readonly BatchFailure[];
}

export interface StagedBatchItem extends Omit<ConvertedItem, 'sealed'>, SealedRef {}

export interface StagedBatchFile {
  readonly items: readonly StagedBatchItem[];
  readonly failures: readonly BatchFailure[];
}

export interface RouteTarget {
  readonly participantId: string;
  readonly userId: string;
  readonly userPrincipalName: string;
  readonly via: string;
}

export interface Unmapped {
  readonly participantId: string;
  /** Reason code (e.g. not-in-directory, no-mailbox): no personal data. */
  readonly reason: string;
  /** Human detail for the per-item log in blob storage; may name the address. */
  readonly detail: string;
}

/** Where one conversation goes: the mailboxes, and the participants that reach none. */
export interface Routing {
  readonly targets: readonly RouteTarget[];
  readonly unmapped: readonly Unmapped[];
  /** Consumers and bots outside the organisation (graph.externalParticipants = log-only). */
  readonly external: readonly Unmapped[];
}

export interface RoutedBatchItem extends StagedBatchItem, Routing {}

export interface RoutedBatchFile {
  readonly items: readonly RoutedBatchItem[];
  readonly failures: readonly BatchFailure[];
}

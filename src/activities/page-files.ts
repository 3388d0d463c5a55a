/** Shapes of the working blobs one page passes from activity to activity (container `work`). */
import type { ParticipantKind, TimeWindow } from '../model';

/** A raw page written as one JSON document (before raw pages became JSON lines, see raw-page.ts). */
export interface RawPageFile {
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
export interface PageFailure {
  readonly itemId: string;
  readonly version: string;
  readonly sourceUser: string;
  readonly reason: string;
}

export interface ConvertedItem {
  readonly conversationId: string;
  readonly version: string;
  readonly endTime: number;
  readonly workEml: string;
  readonly size: number;
  readonly partialReasons: readonly string[];
  readonly participants: readonly RoutingParticipant[];
}

export interface ConvertedPageFile {
  readonly items: readonly ConvertedItem[];
  readonly failures: readonly PageFailure[];
}

export interface StagedPageItem extends ConvertedItem {
  readonly itemBlob: string;
  readonly sha256: string;
  readonly stagedStatus: 'created' | 'exists' | 'conflict';
}

export interface StagedPageFile {
  readonly items: readonly StagedPageItem[];
  readonly failures: readonly PageFailure[];
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

export interface RoutedPageItem extends StagedPageItem {
  readonly targets: readonly RouteTarget[];
  readonly unmapped: readonly Unmapped[];
  /** Consumers and bots outside the organisation (graph.externalParticipants = log-only). */
  readonly external: readonly Unmapped[];
}

export interface RoutedPageFile {
  readonly items: readonly RoutedPageItem[];
  readonly failures: readonly PageFailure[];
}

import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { LP_CONNECTOR_STATE, LP_CURSOR_TIME, type ConnectorState } from '../model';
import type { Connector } from './connector-state';

/** What the connector shows in Temporal: its state and cursor as search attributes, its progress line. */
export interface ConnectorEffects {
  /** Enters a state (search attributes follow when it changed) and refreshes the progress line. */
  enter(next: ConnectorState): void;
  /** Refreshes the progress line (the Web UI's current details). */
  show(): void;
  /** The cursor moved: its search attribute follows. */
  cursorMoved(): void;
}

export function connectorEffects(c: Connector): ConnectorEffects {
  const show = (): void => setCurrentDetails(c.details());
  // The shown cursor is the earlier of the sources' (the only one for messaging alone, where it moves with every
  // window): a chat window that leaves it where it was costs no upsert.
  let shown: number | undefined;
  return {
    enter(next) {
      if (c.enter(next)) {
        shown = c.shownCursor();
        upsertSearchAttributes([
          { key: LP_CONNECTOR_STATE, value: c.state },
          { key: LP_CURSOR_TIME, value: new Date(shown) },
        ]);
      }
      show();
    },
    show,
    cursorMoved() {
      if (c.shownCursor() !== shown) {
        shown = c.shownCursor();
        upsertSearchAttributes([{ key: LP_CURSOR_TIME, value: new Date(shown) }]);
      }
      show();
    },
  };
}

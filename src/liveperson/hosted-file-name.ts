import type { HostedFileRef } from '../model';

/** LivePerson's storage prefix of a hosted file: a UUID (with or without dashes) and `_` before the uploaded name. */
const STORAGE_PREFIX = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})_/i;

/**
 * The attachment name: the name the user sent, i.e. the last segment of the Swift path without LivePerson's unique
 * prefix (`/v1/AUTH_async-images/<account>/<uuid>_statement.pdf` → `statement.pdf`). A segment that is only the
 * prefix and an extension keeps it whole. The source record attached to the item keeps the full path.
 */
export function hostedFileName(ref: HostedFileRef): string {
  const last =
    ref.relativePath
      .split('/')
      .filter((s) => s.length > 0)
      .pop() ?? '';
  const name = last.replace(STORAGE_PREFIX, '');
  return name.length > 0 && !name.startsWith('.') ? name : last;
}

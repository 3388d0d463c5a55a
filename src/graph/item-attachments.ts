import type { GraphRequest } from '@microsoft/microsoft-graph-client';
import { MAX_POSTED_ATTACHMENT_BYTES } from './constants';
import type { CallContext } from './error-mapping';
import { GraphRequestError } from './errors';
import type { MailboxLimiter } from './mailbox-limiter';
import { attachmentRequestBody, missingAttachments, type AttachmentPlan } from './message-json';
import type { RetryPolicy } from './middleware/throttle';
import type { ImportAttachment } from './types';
import { uploadLargeAttachment } from './upload-session';

const seg = encodeURIComponent;

type Call = <T>(ctx: CallContext, fn: (api: (path: string) => GraphRequest) => Promise<T>) => Promise<T>;

/**
 * The attachments an item gets after its create: posted when small, through an upload session when large, one at
 * a time (each is large, and the mailbox's upload budget is shared); completed by name after a retry.
 */
export class ItemAttachments {
  constructor(
    private readonly call: Call,
    private readonly limiter: MailboxLimiter,
    private readonly policy: RetryPolicy,
    private readonly party: string | undefined,
  ) {}

  /** Adds the planned post-create attachments the item does not have yet. */
  async complete(userId: string, messageId: string, plan: AttachmentPlan): Promise<void> {
    if (plan.posted.length === 0 && plan.uploaded.length === 0) return;
    const list = await this.call(
      { op: 'list attachments', userId },
      (api) =>
        api(`/users/${seg(userId)}/messages/${seg(messageId)}/attachments?$select=id,name,size`).get() as Promise<{
          value: { name: string }[];
        }>,
    );
    await this.add(
      userId,
      messageId,
      missingAttachments(
        plan,
        list.value.map((a) => a.name),
      ),
    );
  }

  /** One at a time: each is large, and the mailbox's upload budget is shared. */
  async add(userId: string, messageId: string, attachments: readonly ImportAttachment[]): Promise<void> {
    for (const a of attachments) {
      if (a.bytes.byteLength < MAX_POSTED_ATTACHMENT_BYTES) {
        await this.call(
          { op: `add attachment '${a.name}'`, userId },
          (api) => api(`/users/${seg(userId)}/messages/${seg(messageId)}/attachments`).post(attachmentRequestBody(a)) as Promise<unknown>,
        );
      } else {
        await this.uploadAttachment(userId, messageId, a);
      }
    }
  }

  private async uploadAttachment(userId: string, messageId: string, a: ImportAttachment): Promise<void> {
    const session = await this.call(
      { op: `create upload session for '${a.name}'`, userId },
      (api) =>
        api(`/users/${seg(userId)}/messages/${seg(messageId)}/attachments/createUploadSession`).post({
          AttachmentItem: { attachmentType: 'file', name: a.name, size: a.bytes.byteLength, contentType: a.contentType, isInline: false },
        }) as Promise<{ uploadUrl?: string }>,
    );
    if (typeof session.uploadUrl !== 'string') {
      throw new GraphRequestError(200, 'NoUploadUrl', `createUploadSession for '${a.name}' returned no uploadUrl.`, true);
    }
    await uploadLargeAttachment({
      limiter: this.limiter,
      policy: this.policy,
      userId,
      uploadUrl: session.uploadUrl,
      attachment: a,
      ...(this.party !== undefined ? { party: this.party } : {}),
    });
  }
}

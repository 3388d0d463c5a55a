import type { HostedFileRef, MessageContentType } from '../../model';
import { hostedFileName } from '../hosted-file-name';
import { cleanText, isObject, jsonField } from './lenient';

/** What a message shows: readable text, plus a file or link when it carries one. */
export interface RenderedContent {
  readonly text: string;
  readonly file?: HostedFileRef;
  readonly link?: string;
}

const MAX_DEPTH = 25;

/** Renders `messageData` of one message record to readable text by its MI type. */
export function renderContent(type: MessageContentType | undefined, rawType: string | undefined, data: unknown): RenderedContent {
  const d = isObject(data) ? data : {};
  const msgText = isObject(d.msg) ? cleanText(d.msg.text) : cleanText(d.text);
  const replies = quickReplies(d.quickReplies);
  const withReplies = (t: string): string => (replies.length > 0 ? `${t}${t ? '\n' : ''}[Quick replies: ${replies.join(' | ')}]` : t);
  const fileObj = isObject(d.file) ? d.file : isObject(d.link) ? d.link : d;

  switch (type) {
    case 'TEXT_PLAIN':
    case 'TEXT_HTML':
      return { text: withReplies(msgText ?? '') };
    case 'RICH_CONTENT': {
      const rc = isObject(d.richContent) ? d.richContent.content : d.content;
      const parsed = jsonField(rc);
      const lines = parsed === undefined ? [] : structuredText(parsed, 0);
      const body = lines.length > 0 ? lines.join('\n') : typeof rc === 'string' ? rc : '[Rich content]';
      return { text: withReplies(body) };
    }
    case 'HOSTED_FILE':
    case 'IMG': {
      const relativePath = cleanText(fileObj.relativePath);
      const caption = cleanText(fileObj.caption);
      const fileType = cleanText(fileObj.fileType);
      const url = cleanText(fileObj.url) ?? cleanText(fileObj.externalFileLink);
      if (relativePath) {
        const name = hostedFileName({ relativePath });
        return {
          text: caption ?? `[File: ${name}]`,
          file: { relativePath, ...(fileType ? { fileType } : {}), ...(caption ? { caption } : {}) },
        };
      }
      if (url) return { text: caption ?? `[Image: ${url}]`, link: url };
      return { text: caption ?? msgText ?? '[File]' };
    }
    case 'LINK': {
      const url =
        cleanText(fileObj.externalFileLink) ??
        cleanText(fileObj.url) ??
        cleanText(fileObj.uri) ??
        (msgText && /^https?:\/\//.test(msgText) ? msgText : undefined);
      const caption = cleanText(fileObj.caption) ?? cleanText(fileObj.title);
      return url ? { text: caption ? `${caption}: ${url}` : url, link: url } : { text: msgText ?? '[Link]' };
    }
    case 'SECURE_FORM_INVITATION':
      return { text: `[Secure form invitation${formTitle(d)}]` };
    case 'SECURE_FORM_SUBMIT':
      // The submitted values are deliberately not archived: secure forms carry card data and similar secrets.
      return { text: `[Secure form submitted${formTitle(d)}]` };
    default:
      return { text: withReplies(msgText ?? `[Unsupported message type ${rawType ?? 'unknown'}]`) };
  }
}

function formTitle(d: Record<string, unknown>): string {
  for (const v of Object.values(d)) {
    if (isObject(v)) {
      const t = cleanText(v.title) ?? cleanText(v.formTitle);
      if (t) return `: ${t}`;
    }
  }
  return '';
}

function quickReplies(v: unknown): string[] {
  const q = isObject(v) ? jsonField(v.content) : undefined;
  if (!isObject(q) || !Array.isArray(q.replies)) return [];
  return q.replies.map((r) => (isObject(r) ? (cleanText(r.title) ?? cleanText(r.text) ?? '') : '')).filter((t) => t.length > 0);
}

/** Structured content (cards, carousels, buttons, quick replies) → lines of readable text. */
export function structuredText(node: unknown, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  if (Array.isArray(node)) return node.flatMap((n) => structuredText(n, depth + 1));
  if (!isObject(node)) return typeof node === 'string' && node.trim() ? [node] : [];
  const type = cleanText(node.type);
  const title = cleanText(node.title);
  const textValue = cleanText(node.text);
  switch (type) {
    case 'text':
      return textValue ? [textValue] : [];
    case 'button': {
      const uri = linkOf(node.click);
      return [`[${title ?? textValue ?? 'Button'}]${uri ? ` ${uri}` : ''}`];
    }
    case 'image': {
      const caption = cleanText(node.caption) ?? cleanText(node.tooltip);
      const url = cleanText(node.url);
      return [`[Image${caption ? `: ${caption}` : ''}${url ? ` ${url}` : ''}]`];
    }
    case 'map':
      return [`[Map: ${String(node.la)}, ${String(node.lo)}]`];
    case 'link': {
      const url = cleanText(node.url) ?? cleanText(node.uri);
      return [`${title ?? textValue ?? 'Link'}${url ? `: ${url}` : ''}`];
    }
    default: {
      const own = [title, textValue].filter((x): x is string => x !== undefined);
      const children = ['elements', 'replies', 'content', 'items'].flatMap((k) =>
        node[k] !== undefined ? structuredText(node[k], depth + 1) : [],
      );
      return [...own, ...children];
    }
  }
}

function linkOf(click: unknown): string | undefined {
  if (!isObject(click) || !Array.isArray(click.actions)) return undefined;
  for (const a of click.actions) if (isObject(a) && cleanText(a.type) === 'link') return cleanText(a.uri);
  return undefined;
}

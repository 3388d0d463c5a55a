import type { Transcript, TranscriptEntry, TranscriptTime } from './transcript';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. Every input string passes here. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const KIND_COLOURS: Record<string, string> = { consumer: '#0b6bcb', agent: '#2e7d32', bot: '#6a1b9a', system: '#757575' };

const when = (t: TranscriptTime): string => (t.local === undefined ? escapeHtml(t.utc) : `${escapeHtml(t.utc)} · ${escapeHtml(t.local)}`);

function entry(e: TranscriptEntry): string {
  if (e.kind === 'transfer') {
    return `<div style="margin:8px 0;color:#555;font-style:italic">${when(e.time)} · <span dir="auto">${escapeHtml(e.text)}</span></div>`;
  }
  const colour = KIND_COLOURS[e.senderKind.split(',')[0] ?? ''] ?? '#757575';
  const border = e.audienceLabel === undefined ? 'solid' : 'dashed';
  const labels = [e.typeLabel, e.audienceLabel].filter((x): x is string => x !== undefined);
  const parts = [
    `<div style="margin:8px 0;padding:4px 8px;border-left:3px ${border} ${colour}">`,
    `<div style="color:#555;font-size:12px">${when(e.time)} · <strong><bdi>${escapeHtml(e.sender)}</bdi></strong> (${escapeHtml(e.senderKind)})` +
      `${labels.length > 0 ? ` [${escapeHtml(labels.join('; '))}]` : ''}</div>`,
  ];
  if (e.text.length > 0) parts.push(`<div dir="auto" style="white-space:pre-wrap">${escapeHtml(e.text)}</div>`);
  if (e.link !== undefined) {
    const url = escapeHtml(e.link.url);
    parts.push(`<div dir="auto">Link: ${e.link.clickable ? `<a href="${url}">${url}</a>` : url}</div>`);
  }
  if (e.file !== undefined) parts.push(`<div>File: <bdi>${escapeHtml(e.file.name)}</bdi> (${escapeHtml(e.file.status)})</div>`);
  parts.push('</div>');
  return parts.join('\n');
}

const H2 = 'style="font-size:16px;margin:16px 0 4px"';

/** The text/html transcript: a fixed template; no input reaches it unescaped. */
export function renderHtml(t: Transcript): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(t.title)}</title>`,
    '</head>',
    '<body style="font-family:Segoe UI,Arial,sans-serif;font-size:14px;color:#1f1f1f">',
    `<h1 style="font-size:18px">${escapeHtml(t.title)}</h1>`,
  ];
  if (t.partialReasons.length > 0) {
    out.push(
      '<div role="alert" style="border:2px solid #b00020;background:#fff4f4;padding:8px;margin:8px 0">',
      '<strong>This archive item is incomplete:</strong>',
      `<ul>${t.partialReasons.map((r) => `<li dir="auto" style="white-space:pre-wrap">${escapeHtml(r)}</li>`).join('')}</ul>`,
      '</div>',
    );
  }
  out.push(
    '<table style="border-collapse:collapse">',
    ...t.facts.map(
      (f) =>
        `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(f.label)}</th><td dir="auto">${escapeHtml(f.value)}</td></tr>`,
    ),
    '</table>',
    `<h2 ${H2}>Participants</h2>`,
    '<ul>',
    ...t.participants.map(
      (p) => `<li><bdi>${escapeHtml(p.name)}</bdi> (${escapeHtml(p.kind)}) · ${escapeHtml(p.details.join(' · '))}</li>`,
    ),
    '</ul>',
    `<h2 ${H2}>Transcript</h2>`,
    t.entries.length === 0 ? '<p>(no messages)</p>' : t.entries.map(entry).join('\n'),
  );
  if (t.surveys.length > 0) {
    out.push(
      `<h2 ${H2}>Survey</h2>`,
      '<dl>',
      ...t.surveys.map(
        (s) =>
          `<dt dir="auto" style="white-space:pre-wrap;font-weight:bold">${escapeHtml(s.question)}${s.surveyType === undefined ? '' : ` (${escapeHtml(s.surveyType)})`}</dt>` +
          `<dd dir="auto" style="white-space:pre-wrap">${escapeHtml(s.answer)}</dd>`,
      ),
      '</dl>',
    );
  }
  if (t.summary !== undefined)
    out.push(`<h2 ${H2}>Summary</h2>`, `<div dir="auto" style="white-space:pre-wrap">${escapeHtml(t.summary)}</div>`);
  out.push(
    `<h2 ${H2}>Attachments</h2>`,
    t.attachments.length === 0
      ? '<p>(none)</p>'
      : `<ul>${t.attachments
          .map(
            (a) =>
              `<li><bdi>${escapeHtml(a.fileName)}</bdi> (${escapeHtml(a.contentType)}, ${a.size} bytes)${a.note === undefined ? '' : `: ${escapeHtml(a.note)}`}</li>`,
          )
          .join('')}</ul>`,
    '</body>',
    '</html>',
    '',
  );
  return out.join('\n');
}

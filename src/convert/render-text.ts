import type { Transcript, TranscriptEntry, TranscriptTime } from './transcript';

// First-strong isolate … pop: keeps a right-to-left name from reordering the rest of its line.
const isolate = (s: string): string => `\u2068${s}\u2069`;

/**
 * A message text as the plain-text part shows it: every line indented by two spaces, so a text that
 * imitates a transcript line ("[time] Agent (agent):") is visibly part of the message above it.
 */
export function indentBlock(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

const when = (t: TranscriptTime): string => (t.local === undefined ? t.utc : `${t.utc} | ${t.local}`);

function heading(s: string, underline: string): string {
  return `${s}\n${underline.repeat(Array.from(s).length)}`;
}

function entry(e: TranscriptEntry): string {
  if (e.kind === 'transfer') return `--- [${when(e.time)}] ${e.text} ---`;
  const labels = [e.typeLabel, e.audienceLabel].filter((x): x is string => x !== undefined);
  const out = [`[${when(e.time)}] ${isolate(e.sender)} (${e.senderKind})${labels.length > 0 ? ` [${labels.join('; ')}]` : ''}:`];
  if (e.text.length > 0) out.push(indentBlock(e.text));
  if (e.link !== undefined) out.push(`  Link: ${e.link.url}`);
  if (e.file !== undefined) out.push(`  File: ${isolate(e.file.name)} (${e.file.status})`);
  return out.join('\n');
}

/** The text/plain transcript (LF line ends; the MIME layer encodes it). */
export function renderText(t: Transcript): string {
  const out: string[] = [heading(t.title, '=')];
  if (t.partialReasons.length > 0) {
    out.push(['THIS ARCHIVE ITEM IS INCOMPLETE:', ...t.partialReasons.map((r) => `  - ${r.replace(/\n/g, '\n    ')}`)].join('\n'));
  }
  const width = Math.max(...t.facts.map((f) => f.label.length)) + 2;
  out.push(t.facts.map((f) => `${`${f.label}:`.padEnd(width)}${f.value}`).join('\n'));
  out.push(
    [heading('Participants', '-'), ...t.participants.map((p) => `- ${isolate(p.name)} (${p.kind}) · ${p.details.join(' · ')}`)].join('\n'),
  );
  out.push([heading('Transcript', '-'), t.entries.length === 0 ? '(no messages)' : t.entries.map(entry).join('\n\n')].join('\n'));
  if (t.surveys.length > 0) {
    out.push(
      [
        heading('Survey', '-'),
        t.surveys
          .map(
            (s) => `Q${s.surveyType === undefined ? '' : ` (${s.surveyType})`}:\n${indentBlock(s.question)}\nA:\n${indentBlock(s.answer)}`,
          )
          .join('\n\n'),
      ].join('\n'),
    );
  }
  if (t.summary !== undefined) out.push([heading('Summary', '-'), indentBlock(t.summary)].join('\n'));
  out.push(
    [
      heading('Attachments', '-'),
      t.attachments.length === 0
        ? '(none)'
        : t.attachments
            .map((a) => `- ${isolate(a.fileName)} (${a.contentType}, ${a.size} bytes)${a.note === undefined ? '' : `: ${a.note}`}`)
            .join('\n'),
    ].join('\n'),
  );
  return `${out.join('\n\n')}\n`;
}

/**
 * Text that people type: names, addresses, codes, free text. Every such field of every request
 * schema is built from `textLine` or `textBlock`, so no stored string can carry characters that
 * break what we render from it (a U+FFFF in a business name made its label PNG fail and its SVG
 * malformed XML) or that hide what a reader sees (bidi overrides, zero-width characters).
 *
 * The value is NFC-normalised and trimmed first, so lengths count what a reader sees and the
 * same name typed on two keyboards is the same string. Then it is rejected (not silently
 * altered) when it contains:
 * - control characters (C0, DEL, C1), except `\n` and `\t` in multi-line text; `\r\n` and `\r`
 *   become `\n` there;
 * - format characters (Unicode category Cf: bidi embeddings, overrides and isolates, LRM/RLM,
 *   zero-width space/joiners, word joiner, BOM, soft hyphen, tag characters);
 * - noncharacters (U+FDD0–U+FDEF and U+xFFFE/U+xFFFF in every plane) and lone surrogates;
 * - line and paragraph separators (U+2028/U+2029) in single-line text (multi-line: `\n`).
 * Private-use characters stay allowed: some rare Chinese characters (生僻字) live there.
 */
import { z } from 'zod';

export type TextProblem = 'TEXT_CONTROL_CHARACTER' | 'TEXT_INVISIBLE_CHARACTER' | 'TEXT_NONCHARACTER';

const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_NEWLINE_TAB = /[^\P{Cc}\n\t]/u;
const INVISIBLE = /[\p{Cf}\u2028\u2029]/u;
const NONCHARACTER = /[\uFDD0-\uFDEF\uFFFE\uFFFF]|[\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** The first reason `text` may not be stored, or null when it is clean. */
export function textProblem(text: string, opts: { multiline?: boolean } = {}): TextProblem | null {
  if ((opts.multiline ? CONTROL_EXCEPT_NEWLINE_TAB : CONTROL).test(text)) return 'TEXT_CONTROL_CHARACTER';
  if (LONE_SURROGATE.test(text) || NONCHARACTER.test(text)) return 'TEXT_NONCHARACTER';
  const invisible = opts.multiline ? /\p{Cf}/u : INVISIBLE;
  if (invisible.test(text)) return 'TEXT_INVISIBLE_CHARACTER';
  return null;
}

/**
 * For text that is already stored or comes from elsewhere and must be rendered anyway (labels):
 * every character `textProblem` rejects becomes a space, runs of whitespace become one.
 */
export function displayableText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu, ' ')
    .replace(new RegExp(NONCHARACTER.source, 'gu'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const normaliseNewlines = (s: string) => s.replace(/\r\n?|[\u2028\u2029]/g, '\n');

function refusesUnsafe(multiline: boolean) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = textProblem(value, { multiline });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}

interface Bounds {
  /** Characters (UTF-16 units, after normalising and trimming); 0 allows the empty string. */
  min?: number;
  max: number;
}

/** One line of text: a name, an address, a code typed by a person. */
export function textLine({ min = 0, max }: Bounds) {
  return z.string().normalize('NFC').trim().superRefine(refusesUnsafe(false)).min(min).max(max);
}

/** Multi-line free text (a complaint, a reply, a note): keeps `\n` and `\t`, normalises line ends. */
export function textBlock({ min = 0, max }: Bounds) {
  return z.string().overwrite(normaliseNewlines).normalize('NFC').trim().superRefine(refusesUnsafe(true)).min(min).max(max);
}

/** `text` as a literal inside a RegExp (a name typed into a search box matches itself, nothing more). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

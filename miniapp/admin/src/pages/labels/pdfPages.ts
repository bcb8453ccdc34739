/**
 * Counts the pages of a PDF while its bytes arrive: each page is one `/Type /Page` object (the
 * page tree's root is `/Type /Pages`). The BFF's sheet (pdfkit) writes a page's object as it
 * goes, so the count grows with the download. Chunks may split the marker anywhere: the last
 * few characters of each chunk are looked at again with the next one.
 */
const MARKER = /\/Type \/Page[^s]/g;
/** Shorter than a whole match (12 characters), so no match is counted twice. */
const CARRY = 11;

export interface PdfPageCounter {
  /** Feeds the next chunk; returns the pages seen so far. */
  push(chunk: Uint8Array): number;
  /** Pages seen, including one whose marker ended the file (no character after it). */
  finish(): number;
}

export function pdfPageCounter(): PdfPageCounter {
  // One character per byte (ASCII kept as it is), which is all the marker needs.
  const decoder = new TextDecoder('latin1');
  let carry = '';
  let pages = 0;
  return {
    push(chunk) {
      const text = carry + decoder.decode(chunk, { stream: true });
      pages += (text.match(MARKER) ?? []).length;
      carry = text.slice(-CARRY);
      return pages;
    },
    finish() {
      return pages + (/\/Type \/Page$/.test(carry) ? 1 : 0);
    },
  };
}

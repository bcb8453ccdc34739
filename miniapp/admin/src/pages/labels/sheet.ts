import { chinaCalendarDay } from '@shared/chinaDate';
import { LABEL_COUNT_HEADER, LABEL_PAGES_HEADER } from '@shared/requests/instruments';
import { api } from '../../api/endpoints';
import type { Query } from '../../api/transport';
import { pdfPageCounter } from './pdfPages';

export interface SheetProgress {
  /** Pages of the PDF received so far (counted in the stream). */
  pagesDone: number;
  /** Pages the sheet will have, as the BFF announced (X-Label-Pages). */
  pages: number;
  /** Labels the sheet holds (X-Label-Count). */
  labels: number;
}

export interface Sheet extends SheetProgress {
  blob: Blob;
  fileName: string;
}

/** `标签-2026-12-02.pdf`, the China day of the download. */
export const sheetFileName = (now = new Date()) => `标签-${chinaCalendarDay(now)}.pdf`;

/**
 * Downloads a label sheet, reading the stream so the caller can show the pages received of the
 * pages announced; aborting `signal` stops it (the fetch and the read reject with AbortError).
 */
export async function downloadSheet(query: Query, signal: AbortSignal, onProgress: (p: SheetProgress) => void): Promise<Sheet> {
  const res = await api.labelSheet(query, signal);
  const labels = Number(res.headers.get(LABEL_COUNT_HEADER)) || 0;
  const pages = Number(res.headers.get(LABEL_PAGES_HEADER)) || 1;
  const counter = pdfPageCounter();
  const chunks: Uint8Array[] = [];
  onProgress({ pagesDone: 0, pages, labels });
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      onProgress({ pagesDone: Math.min(counter.push(value), pages), pages, labels });
    }
  } else {
    const bytes = new Uint8Array(await res.arrayBuffer());
    chunks.push(bytes);
    counter.push(bytes);
  }
  const pagesDone = counter.finish();
  return { blob: new Blob(chunks as BlobPart[], { type: 'application/pdf' }), fileName: sheetFileName(), pagesDone, pages, labels };
}

/** Hands a blob to the browser as a download named `fileName`; the URL is the caller's to revoke. */
export function saveBlob(blob: Blob, fileName: string): string {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  return url;
}

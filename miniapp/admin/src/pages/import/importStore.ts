import type { ImportReport } from '@shared/api';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '@shared/requests/instruments';
import { useSyncExternalStore } from 'react';
import { api } from '../../api/endpoints';
import { getSession, onSessionChange } from '../../api/session';
import { RequestError } from '../../api/transport';
import { decodeCsvBytes } from '../../csv';

/**
 * The one import of this tab, kept outside the page: leaving the screen mid-upload does not stop
 * the upload or lose its result (coming back shows it), and leaving the tab asks first.
 */
export type ImportState =
  | { phase: 'idle' }
  /** Refused here, before anything was sent. */
  | { phase: 'invalid'; fileName: string; message: string }
  | { phase: 'uploading'; file: File; partial: boolean; loaded: number; total: number }
  /** Sent; the server is checking (and importing) it. */
  | { phase: 'working'; file: File; partial: boolean }
  /** The server found bad rows and imported nothing. `text` is the file's text, to show each bad row's cells. */
  | { phase: 'rejected'; file: File; text: string | null; report: ImportReport }
  | { phase: 'failed'; file: File; partial: boolean; error: { status: number; code: string; message: string } }
  | { phase: 'done'; file: File; partial: boolean; text: string | null; report: ImportReport };

let state: ImportState = { phase: 'idle' };
const listeners = new Set<() => void>();
/** Whose import it is: an expired session signing back in keeps it, another user never sees it. */
let owner: string | null = null;

onSessionChange((session) => {
  if (session && owner && session.user.id !== owner && !isBusy(state)) set({ phase: 'idle' });
});

function set(next: ImportState): void {
  state = next;
  const busy = next.phase === 'uploading' || next.phase === 'working';
  if (busy) window.addEventListener('beforeunload', askBeforeLeaving);
  else window.removeEventListener('beforeunload', askBeforeLeaving);
  listeners.forEach((l) => l());
}

function askBeforeLeaving(event: BeforeUnloadEvent): void {
  event.preventDefault();
  // Older Chromium shows the prompt only when returnValue is set.
  event.returnValue = '';
}

export function useImportState(): ImportState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

export const isBusy = (s: ImportState) => s.phase === 'uploading' || s.phase === 'working';

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** Why this file cannot be sent, in Chinese; null when it may. The server checks all of it again. */
export function fileProblem(file: Pick<File, 'name' | 'size'>): string | null {
  if (!/\.csv$/i.test(file.name)) return `“${file.name}”不是 CSV 文件。请上传 .csv 文件（在 Excel 中用“另存为 → CSV”保存）。`;
  if (file.size === 0) return `“${file.name}”是空文件，请填好数据后再上传。`;
  if (file.size > MAX_IMPORT_BYTES) return `“${file.name}”有 ${sizeText(file.size)}，超过了 5 MB 的上限。请分成几个文件（每个最多 ${MAX_IMPORT_ROWS} 行）分别导入。`;
  return null;
}

async function textOf(file: File): Promise<string | null> {
  try {
    return decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
  } catch {
    return null;
  }
}

/** The message of a refused upload, with how long to wait when the server said so. */
function describe(err: RequestError): string {
  const wait = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (err.status === 413 && err.code.startsWith('HTTP_')) return '文件过大（上限 5 MB），请分成几个文件导入。';
  // "操作太频繁，请稍后再试" becomes "操作太频繁，请 42 秒后再试".
  return wait && (err.status === 429 || err.status === 503) ? `${err.message.replace(/，?请稍后再试。?$/, '')}，请 ${wait} 秒后再试` : err.message;
}

/** Checks and uploads `file`; `partial` imports only its good rows. Does nothing while another upload runs. */
export async function startImport(file: File, partial = false): Promise<void> {
  if (isBusy(state)) return;
  const problem = fileProblem(file);
  owner = getSession()?.user.id ?? null;
  if (problem) return set({ phase: 'invalid', fileName: file.name, message: problem });
  set({ phase: 'uploading', file, partial, loaded: 0, total: file.size });
  try {
    const report = await api.importInstruments(file, partial, {
      onProgress: (loaded, total) => state.phase === 'uploading' && state.file === file && set({ ...state, loaded, total }),
      onSent: () => set({ phase: 'working', file, partial }),
    });
    set({ phase: 'done', file, partial, report, text: report.errors.length ? await textOf(file) : null });
  } catch (err) {
    if (err instanceof RequestError && err.code === 'IMPORT_REJECTED') {
      set({ phase: 'rejected', file, report: err.details as ImportReport, text: await textOf(file) });
    } else if (err instanceof RequestError) {
      set({ phase: 'failed', file, partial, error: { status: err.status, code: err.code, message: describe(err) } });
    } else {
      set({ phase: 'failed', file, partial, error: { status: 0, code: 'UPLOAD_FAILED', message: '上传失败，请重试' } });
    }
  }
}

export function resetImport(): void {
  if (!isBusy(state)) set({ phase: 'idle' });
}

/**
 * Answers asked for before the page that needs them exists. When a phone opens a label URL the
 * app starts the scan call as soon as its script runs (app.ts), while React mounts and the
 * instrument page's code loads; the page's own call then takes that answer instead of asking
 * again. Each answer is handed out once: a reload or a later visit asks the server afresh.
 */
const pending = new Map<string, Promise<unknown>>();

export function prefetch<T>(key: string, start: () => Promise<T>): void {
  if (pending.has(key)) return;
  const answer = start();
  // Nobody may ever take it (the person navigated away first): that is not an unhandled rejection.
  answer.catch(() => undefined);
  pending.set(key, answer);
}

/** The answer prefetched under `key`, at most once; undefined when there is none. */
export function takePrefetched<T>(key: string): Promise<T> | undefined {
  const answer = pending.get(key) as Promise<T> | undefined;
  pending.delete(key);
  return answer;
}

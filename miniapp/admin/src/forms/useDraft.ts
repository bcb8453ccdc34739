import { useMemo } from 'react';

const PREFIX = 'cxjl-admin-draft:';

export interface Draft<T> {
  /** What was typed last time, or null. */
  read(): T | null;
  /** For a Form's onValuesChange: keeps every value as it is typed. */
  save(changed: unknown, all: T): void;
  /** After a successful submit, or when the user discards the form. */
  clear(): void;
}

/**
 * A form's values saved to sessionStorage as they are typed. A session that expires mid-form
 * sends the user to the login page and back to the same page (the open form is in the URL),
 * where the form reads its draft back: nothing typed is lost.
 */
export function useDraft<T extends object>(key: string): Draft<T> {
  return useMemo(() => {
    const storageKey = PREFIX + key;
    return {
      read() {
        try {
          const raw = sessionStorage.getItem(storageKey);
          return raw ? (JSON.parse(raw) as T) : null;
        } catch {
          return null;
        }
      },
      save(_changed, all) {
        try {
          sessionStorage.setItem(storageKey, JSON.stringify(all));
        } catch {
          // storage unavailable: the draft is simply not kept
        }
      },
      clear() {
        sessionStorage.removeItem(storageKey);
      },
    };
  }, [key]);
}

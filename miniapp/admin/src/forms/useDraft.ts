import type { FormInstance } from 'antd';
import { useCallback, useEffect } from 'react';

const PREFIX = 'cxjl-admin-draft:';

/**
 * A form's values saved to sessionStorage as they are typed, and put back when the form mounts
 * again: a session that expires mid-form sends the user to the login page and back to the same
 * form with what they had typed. `clear()` after a successful submit.
 */
export function useDraft<T extends object>(key: string, form: FormInstance<T>) {
  const storageKey = PREFIX + key;
  useEffect(() => {
    const saved = readDraft<T>(storageKey);
    if (saved) form.setFieldsValue(saved as Parameters<FormInstance<T>['setFieldsValue']>[0]);
  }, [form, storageKey]);

  const save = useCallback(
    (_changed: unknown, all: T) => {
      try {
        sessionStorage.setItem(storageKey, JSON.stringify(all));
      } catch {
        // storage unavailable: the draft is simply not kept
      }
    },
    [storageKey],
  );
  const clear = useCallback(() => sessionStorage.removeItem(storageKey), [storageKey]);
  return { onValuesChange: save, clear, hasDraft: () => readDraft(storageKey) != null };
}

function readDraft<T>(storageKey: string): T | null {
  try {
    const raw = sessionStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

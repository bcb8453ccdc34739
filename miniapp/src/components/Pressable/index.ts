/**
 * Taro's H5 components are custom elements (`<taro-button-core>`, `<taro-view-core>`), not
 * native buttons: a keyboard cannot reach or press them, and a screen reader does not call them
 * buttons. Spread `pressable(onPress)` on anything tappable to give it, in H5, a role, a place in
 * the tab order and Enter/Space activation. The mini-program needs none of it (WeChat's own
 * components are accessible there), so it gets nothing.
 */
export function pressable(onPress: () => void, role: 'button' | 'link' | 'radio' = 'button'): Record<string, unknown> {
  if (process.env.TARO_ENV !== 'h5') return {};
  return {
    role,
    tabIndex: 0,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      onPress();
    },
  };
}

/**
 * `disabled` and `loading` for a Taro Button only while `busy`: in H5 a false `disabled` still
 * lands as the attribute `disabled="false"`, which Taro's button CSS greys out as disabled.
 */
export function whileSending(busy: boolean): { disabled?: true; loading?: true } {
  return busy ? { disabled: true, loading: true } : {};
}

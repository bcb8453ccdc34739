/**
 * Spread on a tappable View (a card that opens a page) so it is in the keyboard's tab order in
 * H5: Taro's View has no `tabIndex` prop in its types, though the H5 element takes it (weapp
 * ignores it). axe also asks for it: a scrolling tab page must hold something focusable.
 */
export const focusable = { tabIndex: 0 } as Record<string, unknown>;

/**
 * Where the focus goes when an update hid, removed or disabled the element that held it
 * (Back to a preset removing the custom range's box, a range narrowed to nothing): to the
 * first of `targets` shown and enabled, never to the page's body. `hadFocus`: the shadow
 * root held the focus before the update.
 */
export function keepFocus(root: ShadowRoot, hadFocus: boolean, targets: () => Iterable<HTMLElement | null>): void {
  if (!hadFocus) return;
  const usable = (el: HTMLElement | null): el is HTMLElement => !!el && el.getClientRects().length > 0 && !el.matches(':disabled');
  // Hidden or disabled, the focused element keeps the focus until the browser's next rendering step.
  const active = root.activeElement as HTMLElement | null;
  if (active ? usable(active) : document.activeElement && document.activeElement !== document.body) return;
  [...targets()].find(usable)?.focus();
}

/** Queries through shadow roots for the stories' play functions (the elements keep their UI in shadow DOM). */

/** Every element matching `selector` inside `root`, looking into each shadow root on the way. */
export function deepQueryAll<T extends Element = HTMLElement>(root: ParentNode, selector: string): T[] {
  const found: T[] = [...root.querySelectorAll<T>(selector)];
  for (const element of root.querySelectorAll('*')) {
    if (element.shadowRoot) found.push(...deepQueryAll<T>(element.shadowRoot, selector));
  }
  return found;
}

/** The one element matching `selector` (through shadow roots); throws when there is none. */
export function deepQuery<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const [element] = deepQueryAll<T>(root, selector);
  if (!element) throw new Error(`Nothing matches ${selector}.`);
  return element;
}

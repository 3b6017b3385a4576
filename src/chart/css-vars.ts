/**
 * Sets CSS custom properties on an element through `style.setProperty`, on the first render
 * too. Lit's `styleMap` writes its first value as a `style` attribute, which a strict
 * `style-src 'self'` policy blocks (a securitypolicyviolation per element); CSSOM writes
 * are allowed. Use as an element binding: `<div ${cssVars({ '--x': '4px' })}>`.
 */
import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

class CssVarsDirective extends Directive {
  #previous: Readonly<Record<string, string>> = {};

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('cssVars is an element binding: <div ${cssVars({...})}>');
  }

  render(_vars: Readonly<Record<string, string>>): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [vars]: [Readonly<Record<string, string>>]): typeof noChange {
    const { style } = part.element as HTMLElement;
    for (const name of Object.keys(this.#previous)) if (!(name in vars)) style.removeProperty(name);
    for (const [name, value] of Object.entries(vars)) if (this.#previous[name] !== value) style.setProperty(name, value);
    this.#previous = vars;
    return noChange;
  }
}

export const cssVars = directive(CssVarsDirective);

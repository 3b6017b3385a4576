/** Windows' high-contrast mode in the browser tests (forced-colors: active). */
import { executeServerCommand } from '@web/test-runner-commands';

/** Turns forced colours on or off (the `emulate-forced-colors` command of web-test-runner.config.mjs). */
export async function emulateForcedColors(active: boolean): Promise<void> {
  await executeServerCommand('emulate-forced-colors', active);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  if (matchMedia('(forced-colors: active)').matches !== active) throw new Error(`forced colours were not turned ${active ? 'on' : 'off'}`);
}

/** The fills and borders of an element, which forced colours repaint in system colours. */
export function fills(element: Element): string[] {
  const style = getComputedStyle(element);
  const borders = (['Top', 'Right', 'Bottom', 'Left'] as const)
    .filter((side) => style[`border${side}Style`] !== 'none')
    .map((side) => `${side} ${style[`border${side}Color`]}`);
  return [style.backgroundColor, style.backgroundImage, ...borders];
}

/**
 * The chart's colours and font, read from the same CSS custom properties as the rest of
 * the element (src/base/theme.ts), so a host's override or the dark theme reaches the
 * canvas too. `readChartTheme` is cheap; the charts call it on every update and rebuild
 * their option only when the result differs (`sameChartTheme`).
 */
import { THEME_TOKENS, drawnToken } from '../base/theme.js';
import type { FillPattern } from './model.js';

export interface ChartTheme {
  readonly text: string;
  readonly muted: string;
  readonly surface: string;
  readonly border: string;
  readonly accent: string;
  readonly danger: string;
  readonly fontFamily: string;
  /** `--usage-color-series-1` … `-8`. */
  readonly series: readonly string[];
  /** Semantic colours by key: `allocated`, `surplus`, `hybrid`, `input`, `output`. */
  readonly named: Readonly<Record<string, string>>;
}

const NAMED = ['allocated', 'surplus', 'hybrid', 'input', 'output'] as const;

export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const light = THEME_TOKENS.light;
  // The private twins the styles draw with: the page's token, else the theme's value.
  const token = (name: string): string => style.getPropertyValue(drawnToken(name)).trim() || light[name] || '';
  return {
    text: token('--usage-color-text'),
    muted: token('--usage-color-muted'),
    surface: token('--usage-color-surface'),
    border: token('--usage-color-border'),
    accent: token('--usage-color-accent'),
    danger: token('--usage-color-danger'),
    fontFamily: style.getPropertyValue(drawnToken('--usage-font-family')).trim() || 'sans-serif',
    series: Array.from({ length: 8 }, (_, i) => token(`--usage-color-series-${i + 1}`)),
    named: Object.fromEntries(NAMED.map((name) => [name, token(`--usage-color-${name}`)])),
  };
}

export function sameChartTheme(a: ChartTheme | undefined, b: ChartTheme): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The patterns given to stacked series in turn (the first solid). */
export const FILL_PATTERNS: readonly FillPattern[] = ['solid', 'stripes', 'dots', 'back-stripes', 'triangles'];

/**
 * The colour and pattern of the `index`-th stacked series: its semantic colour when the key
 * has one, else one of the first seven series colours (the eighth is kept for "other"), and
 * the patterns in turn, so that no two of the first 35 series look alike, in colour or not.
 */
export function seriesLook(theme: ChartTheme, key: string, index: number): { color: string; pattern: FillPattern } {
  return {
    color: theme.named[key] ?? theme.series[index % (theme.series.length - 1)]!,
    pattern: FILL_PATTERNS[index % FILL_PATTERNS.length]!,
  };
}

/** The colour of the "other" series (the last series colour, which `seriesLook` never gives). */
export function otherColor(theme: ChartTheme): string {
  return theme.series.at(-1)!;
}

/**
 * Right-to-left figures inside the pieces' English sentences. An amount or a date written in
 * a right-to-left locale (ar-EG: "١٫٨٦ م.ب", "٠١‏/١٢‏/٢٠٢٦، ٧:٠٠ م") holds right-to-left letters;
 * set in a left-to-right sentence, the bidirectional algorithm drew the brackets, the
 * sentence's own words and the next figure in among them ("starting (ب.م ١٫٨٦) م ٧:٠٠").
 */
export const RIGHT_TO_LEFT = /[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefc]/u;

/** `text` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE when it holds right-to-left letters: it keeps its own order and leaves the sentence's alone. */
export function isolate(text: string): string {
  return RIGHT_TO_LEFT.test(text) ? `\u2068${text}\u2069` : text;
}

/**
 * An ID or a name with its explicit directional controls (embeddings, overrides, isolates)
 * written out, "⟨U+202E⟩": left in, they reorder what follows, and "\u202Eevil.exe\u202C" is
 * drawn as "exe.live", another ID than the one stored (the table, the pickers and the charts
 * show IDs with this; their links, filters and copies keep the ID itself).
 */
export const revealControls = (text: string): string =>
  text.replace(/[\u202a-\u202e\u2066-\u2069]/gu, (control) => `⟨U+${control.charCodeAt(0).toString(16).toUpperCase()}⟩`);

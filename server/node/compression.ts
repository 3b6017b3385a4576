/**
 * HTTP compression for the node server: which answers are worth compressing and whether a
 * request accepts gzip. The contract handler never compresses (it runs anywhere, a browser
 * included); the node adapter gzips its text answers as they stream, and the demo site
 * keeps the larger built files gzipped.
 */

/** A body under this many bytes goes as it is: gzip's framing would take back most of what it saves. */
export const MIN_COMPRESSED_BYTES = 1_024;

/**
 * Whether a body of this type is worth compressing: text, JSON, SVG. Never a live stream
 * (`text/event-stream`): gzip holds bytes back until it has enough of them, and each
 * message must reach the client when it is sent.
 */
export function isCompressible(contentType: string): boolean {
  return /^\s*(text\/(?!event-stream\s*(;|$))|application\/([\w.-]+\+)?json\s*(;|$)|image\/svg\+xml\s*(;|$))/i.test(contentType);
}

/**
 * Whether an `Accept-Encoding` header (RFC 9110 §12.5.3) allows gzip: the `gzip` (or
 * `x-gzip`) entry decides when there is one, else `*`; a q of 0, or one that is not a
 * qvalue, refuses. No header asks for the identity coding, as every client expects.
 */
export function acceptsGzip(header: string | null | undefined): boolean {
  let gzip: number | undefined;
  let any: number | undefined;
  for (const entry of (header ?? '').split(',')) {
    const [coding = '', ...params] = entry.split(';').map((part) => part.trim());
    const name = coding.toLowerCase();
    if (name === 'gzip' || name === 'x-gzip') gzip = Math.max(gzip ?? 0, quality(params));
    else if (name === '*') any = quality(params);
  }
  return (gzip ?? any ?? 0) > 0;
}

function quality(params: readonly string[]): number {
  const q = params.find((param) => /^q\s*=/i.test(param));
  if (q === undefined) return 1;
  const value = q.slice(q.indexOf('=') + 1).trim();
  return /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
}

/** A `Vary` value that also names `field` (unchanged when it does already, or is `*`). */
export function varyOn(vary: string | undefined, field: string): string {
  if (!vary) return field;
  const fields = vary.split(',').map((name) => name.trim().toLowerCase());
  return fields.includes(field.toLowerCase()) || fields.includes('*') ? vary : `${vary}, ${field}`;
}

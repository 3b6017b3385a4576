/** A `user-href` template with `{userId}` replaced by the encoded ID (the design, `usage-user-select`). */
export function userHref(template: string, userId: string): string {
  return template.split('{userId}').join(encodeURIComponent(userId));
}

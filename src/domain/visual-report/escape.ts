/**
 * Text from a report (user names, account names, error messages) on its way into the HTML page.
 * A user name comes from IAM or from a CSV file anybody can edit; it may hold `<`, `&`, quotes,
 * control characters or bidirectional overrides (which make a name read differently from what it
 * is). Every such text passes through `visible` (so a person sees what is really there) and then
 * `escapeHtml` (markup) or `jsonForScript` (the table's data).
 */

import { UNSAFE } from '../../lib/safe-text';

/** Each control or invisible formatting character written out as `\u{XXXX}`, so nothing is hidden. */
export function visible(text: string): string {
  return text.replace(
    UNSAFE,
    (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}}`,
  );
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML character data or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** `visible`, then `escapeHtml`: what every report text goes through on its way into markup. */
export function html(text: string): string {
  return escapeHtml(visible(text));
}

/**
 * JSON inside `<script type="application/json">`: `<`, `>` and `&` as `\u` escapes, so no value
 * can close the element (`</script>`) or open a comment; JSON.parse reads them back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

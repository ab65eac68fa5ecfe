/**
 * Text from outside (a user name or an ARN from a credential report file, an error message that
 * quotes one) printed where a person reads it. Control characters (an escape sequence can recolour
 * or rewrite a terminal, a line break can forge a row) and invisible or bidirectional formatting
 * characters (U+202E makes `exe.txt` read as `txt.exe`) are shown as escapes instead: `\x1b`,
 * `\n`, `\u202e`. Real IAM names and ARNs never contain them, so legitimate text is unchanged.
 */

// C0 controls, DEL and C1 controls; Arabic letter mark; zero-width and directional marks;
// line/paragraph separators and the bidirectional embeddings and overrides; word joiner and the
// directional isolates; the byte order mark / zero-width no-break space.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** The same without C0 controls: JSON.stringify escapes those in strings, and its indentation uses \n. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every unsafe character shown as an escape. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * JSON that is safe on a terminal and still the same JSON: `JSON.stringify` already escapes C0
 * controls; the other unsafe characters become `\uXXXX` escapes, which every JSON reader decodes
 * back to the same string.
 */
export function jsonForTerminal(value: unknown, indent?: number): string {
  return escapeJsonText(JSON.stringify(value, null, indent));
}

/** The same for JSON text written by `JSON.stringify` elsewhere. */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Text from outside (a user name or an ARN from a credential report file, an error message that
 * quotes one) printed where a person reads it. Control characters (an escape sequence can recolour
 * or rewrite a terminal, a line break can forge a row) and invisible or bidirectional formatting
 * characters (U+202E makes `exe.txt` read as `txt.exe`) are shown as escapes instead: `\x1b`,
 * `\n`, `\u202e`. Real IAM names and ARNs never contain them, so legitimate text is unchanged.
 */

// C0 controls, DEL and C1 controls; the soft hyphen; Arabic letter mark; the Hangul fillers
// (U+115F, U+1160, U+3164, U+FFA0) and the Mongolian vowel separator, which render as nothing;
// zero-width and directional marks; line/paragraph separators and the bidirectional embeddings and
// overrides; word joiner and the directional isolates; the byte order mark / zero-width no-break
// space; the interlinear annotation marks; the tag characters (U+E0000-E007F), which can spell out
// a hidden text ("ASCII smuggling"). `u`: the tags lie outside the first 65,536 code points.
const INVISIBLE = String.raw`\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}`;
/** Every unsafe character (global, `u`): what the visual report writes out as `\u{XXXX}` too. */
export const UNSAFE = new RegExp(String.raw`[\u0000-\u001f\u007f-\u009f` + INVISIBLE + ']', 'gu');

/** The same without C0 controls: JSON.stringify escapes those in strings, and its indentation uses \n. */
const UNSAFE_IN_JSON = new RegExp(String.raw`[\u007f-\u009f` + INVISIBLE + ']', 'gu');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/** `\uXXXX` for each UTF-16 unit: a tag character becomes its surrogate pair, which JSON readers join again. */
function jsonEscape(ch: string): string {
  let escaped = '';
  for (let i = 0; i < ch.length; i++) escaped += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
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
  return json.replace(UNSAFE_IN_JSON, jsonEscape);
}

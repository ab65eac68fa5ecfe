import { InvalidInputError } from '../../lib/errors';
import { parseIsoInstant } from '../../lib/iso-instant';

/**
 * A credential report file as people have one: the CSV itself (downloaded from the IAM console,
 * or decoded from the API), or what `aws iam get-credential-report` prints, whichever output format
 * the AWS CLI is set to: the JSON (the CSV in base64 under `Content`, with `ReportFormat` and
 * `GeneratedTime`), the YAML (the same three keys, one per line), the YAML stream (the same as one
 * list item), the text (the three values on one line), or only the base64 (`--query Content` with
 * `--output text`, a JSON string with the default output, a YAML document ending `...` with
 * `yaml`, a list item with `yaml-stream`). Each is recognised by its shape, none by guessing: JSON
 * is an object or a string, the YAML names the three keys, a YAML stream item starts with `- `,
 * base64 has no comma, and a CSV report starts with a header naming its columns.
 */
export interface ReportFileContent {
  readonly csv: string;
  /** When AWS generated the report, when the file says (the JSON's GeneratedTime); else null. */
  readonly generatedAt: Date | null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A report file's bytes as text: UTF-8, with or without a byte order mark, or UTF-16 when its byte
 * order mark says so (Excel's "Unicode Text", which is also tab-separated; PowerShell 5's
 * redirection). Big-endian is swapped into little-endian by hand: Node without full ICU decodes
 * only UTF-16LE.
 */
export function decodeReportFile(bytes: Uint8Array): string {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!le && !be) return new TextDecoder('utf-8').decode(bytes);
  const body = Buffer.from(bytes.subarray(2));
  if (body.length % 2 !== 0) {
    throw new InvalidInputError(
      'not a credential report: the file starts with a UTF-16 byte order mark but has an odd number of bytes',
    );
  }
  return new TextDecoder('utf-16le').decode(be ? body.swap16() : body);
}

export function unwrapReportFile(text: string): ReportFileContent {
  // `--query Content --output yaml` ends the base64, a document of one plain scalar, with `...`.
  const trimmed = text
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\r?\n\.\.\.$/, '');
  if (trimmed.startsWith('{')) return fromCliJson(trimmed);
  const quoted = jsonString(trimmed);
  if (quoted !== null) return fromQueryContent(quoted);
  const item = yamlStreamItem(trimmed);
  if (item !== null) return unwrapReportFile(item);
  const fields = cliTextOrYaml(trimmed);
  if (fields) return fromCliFields(fields);
  const compact = trimmed.replace(/\s+/g, '');
  if (compact.length > 0 && BASE64.test(compact) && compact.length % 4 === 0) {
    const decoded = decodeBase64(compact, 'the file');
    // Only base64 of a CSV with a header counts; anything else is left for the CSV reader to refuse.
    if (/^(\uFEFF)?"?user"?[,;\t]/i.test(decoded)) return { csv: decoded, generatedAt: null };
  }
  return { csv: text, generatedAt: null };
}

/** `{"Content": "dXNlcixhcm4s...", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-27T21:14:09+00:00"}`. */
function fromCliJson(text: string): ReportFileContent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      'not a credential report: the file starts like JSON but is not valid JSON (expected the output of aws iam get-credential-report)',
      { cause: error },
    );
  }
  // The text starts with `{`: what parsed is an object.
  const fields = value as Record<string, unknown>;
  if ('schemaVersion' in fields && 'users' in fields) {
    throw new InvalidInputError(
      'not a credential report: the file is a stale-iam scan report (JSON); scan the credential report it was made from',
    );
  }
  return fromCliFields(fields);
}

/** `"dXNlcixhcm4s..."`: `aws iam get-credential-report --query Content` with the default JSON output; null for anything else. */
function jsonString(text: string): string | null {
  if (!text.startsWith('"') || !text.endsWith('"')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : null;
  } catch {
    // Not one JSON string (a CSV whose first field is quoted): the CSV reader takes it.
    return null;
  }
}

function fromQueryContent(content: string): ReportFileContent {
  const compact = content.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 !== 0) {
    throw new InvalidInputError(
      'not a credential report: the file is a JSON string that is not base64 (expected aws iam get-credential-report --query Content)',
    );
  }
  return { csv: decodeBase64(compact, 'the JSON string'), generatedAt: null };
}

/**
 * `--output yaml-stream` prints the answer as the one item of a YAML list: `- Content: ...` and the
 * other keys indented by two spaces (or `- dXNl...` with `--query Content`). The item without its
 * list marker and indent, or null when the text is not one such item.
 */
function yamlStreamItem(text: string): string | null {
  const [first = '', ...rest] = text.split(/\r?\n/);
  if (!first.startsWith('- ') || !rest.every((line) => line.startsWith('  '))) return null;
  return [first.slice(2), ...rest.map((line) => line.slice(2))].join('\n');
}

/**
 * `--output yaml` (`Content: ...`, `GeneratedTime: '...'`, `ReportFormat: text/csv`, one per line)
 * or `--output text` (the three values on one line, in any order); null for anything else.
 */
function cliTextOrYaml(text: string): Record<string, string> | null {
  const lines = text.split(/\r?\n/);
  const yaml = lines.map((line) => /^(Content|GeneratedTime|ReportFormat):\s*(.*?)\s*$/.exec(line));
  if (yaml.every((m) => m !== null) && yaml.some((m) => m?.[1] === 'Content')) {
    return Object.fromEntries(yaml.map((m) => [m?.[1] ?? '', (m?.[2] ?? '').replace(/^'(.*)'$/, '$1')]));
  }
  const values = text.split(/\s+/);
  if (lines.length !== 1 || values.length !== 3 || !values.includes('text/csv')) return null;
  const generated = values.find((v) => v !== 'text/csv' && /^\d{4}-\d{2}-\d{2}T/.test(v));
  const content = values.find((v) => v !== 'text/csv' && v !== generated);
  if (generated === undefined || content === undefined) return null;
  return { Content: content, GeneratedTime: generated, ReportFormat: 'text/csv' };
}

function fromCliFields(fields: Record<string, unknown>): ReportFileContent {
  const { Content, ReportFormat, GeneratedTime } = fields;
  if (typeof Content !== 'string') {
    throw new InvalidInputError(
      'not a credential report: no "Content" string (expected the output of aws iam get-credential-report)',
    );
  }
  if (ReportFormat !== undefined && ReportFormat !== 'text/csv') {
    throw new InvalidInputError(
      `not a credential report: "ReportFormat" is ${JSON.stringify(ReportFormat)}, expected "text/csv"`,
    );
  }
  let generatedAt: Date | null = null;
  if (GeneratedTime !== undefined) {
    generatedAt = typeof GeneratedTime === 'string' ? parseIsoInstant(GeneratedTime.trim()) : null;
    if (!generatedAt) {
      throw new InvalidInputError(
        `not a credential report: "GeneratedTime" is ${JSON.stringify(GeneratedTime)}, expected an ISO-8601 instant`,
      );
    }
  }
  const compact = Content.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 !== 0) {
    throw new InvalidInputError('not a credential report: "Content" is not base64');
  }
  return { csv: decodeBase64(compact, '"Content"'), generatedAt };
}

function decodeBase64(compact: string, what: string): string {
  const bytes = Buffer.from(compact, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new InvalidInputError(`not a credential report: ${what} does not decode to UTF-8 text`, {
      cause: error,
    });
  }
}

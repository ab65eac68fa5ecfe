import { InvalidInputError } from '../../lib/errors';
import { parseIsoInstant } from '../../lib/iso-instant';

/**
 * A credential report file as people have one: the CSV itself (downloaded from the IAM console,
 * or decoded from the API), the JSON that `aws iam get-credential-report` prints (the CSV in base64
 * under `Content`, with `ReportFormat` and `GeneratedTime`), or only that base64 text
 * (`--query Content --output text`). Each is recognised by its shape, none by guessing: JSON is an
 * object, base64 has no comma, and a CSV report starts with a header naming its columns.
 */
export interface ReportFileContent {
  readonly csv: string;
  /** When AWS generated the report, when the file says (the JSON's GeneratedTime); else null. */
  readonly generatedAt: Date | null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function unwrapReportFile(text: string): ReportFileContent {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{')) return fromCliJson(trimmed);
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(
      'not a credential report: expected the JSON object aws iam get-credential-report prints',
    );
  }
  const { Content, ReportFormat, GeneratedTime } = value as Record<string, unknown>;
  if (typeof Content !== 'string') {
    throw new InvalidInputError(
      'not a credential report: the JSON has no "Content" string (expected the output of aws iam get-credential-report)',
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

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCredentialReport } from '../../../src/adapters/credential-report/csv';
import { decodeReportFile, unwrapReportFile } from '../../../src/adapters/credential-report/report-file';
import { InvalidInputError } from '../../../src/lib/errors';

const CSV =
  'user,arn,user_creation_time\n<root_account>,arn:aws:iam::123456789012:root,2019-03-14T09:12:44+00:00\n';
const BASE64 = Buffer.from(CSV, 'utf8').toString('base64');

/** What `aws iam get-credential-report` prints (AWS CLI v1 and v2 alike). */
const cliJson = (fields: Record<string, unknown>) => JSON.stringify(fields, null, 4) + '\n';

function refusal(text: string): string {
  try {
    unwrapReportFile(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('unwrapReportFile', () => {
  it('takes a CSV as it is', () => {
    expect(unwrapReportFile(CSV)).toEqual({ csv: CSV, generatedAt: null });
  });

  it('decodes the JSON that aws iam get-credential-report prints, with when AWS generated it', () => {
    const text = cliJson({
      Content: BASE64,
      ReportFormat: 'text/csv',
      GeneratedTime: '2026-11-27T21:14:09+00:00',
    });

    expect(unwrapReportFile(text)).toEqual({ csv: CSV, generatedAt: new Date('2026-11-27T21:14:09Z') });
  });

  it('decodes the JSON without the optional fields, with a byte order mark and wrapped base64', () => {
    const wrapped = BASE64.replace(/(.{20})/g, '$1\n');

    expect(unwrapReportFile(`\uFEFF${cliJson({ Content: wrapped })}`)).toEqual({
      csv: CSV,
      generatedAt: null,
    });
  });

  it('decodes a file holding only the base64 content (--query Content --output text)', () => {
    expect(unwrapReportFile(`${BASE64}\n`)).toEqual({ csv: CSV, generatedAt: null });
  });

  it('decodes the base64 alone as YAML prints it, ending the document with ... (--query Content --output yaml)', () => {
    expect(unwrapReportFile(`${BASE64}\n...\n`)).toEqual({ csv: CSV, generatedAt: null });
  });

  it('decodes a JSON string of the base64 (--query Content with the default JSON output)', () => {
    expect(unwrapReportFile(`${JSON.stringify(BASE64)}\n`)).toEqual({ csv: CSV, generatedAt: null });
  });

  it('decodes the YAML stream, one list item (--output yaml-stream), with when AWS generated it', () => {
    const stream = `- Content: ${BASE64}\n  GeneratedTime: '2026-11-27T21:14:09+00:00'\n  ReportFormat: text/csv\n`;

    expect(unwrapReportFile(stream)).toEqual({ csv: CSV, generatedAt: new Date('2026-11-27T21:14:09Z') });
  });

  it('decodes the YAML stream of the base64 alone (--query Content --output yaml-stream)', () => {
    expect(unwrapReportFile(`- ${BASE64}\n`)).toEqual({ csv: CSV, generatedAt: null });
  });

  it('leaves a CSV whose first field is quoted to the CSV reader', () => {
    const quoted = '"user","arn"\n"alice","arn:aws:iam::123456789012:user/alice"\n';

    expect(unwrapReportFile(quoted)).toEqual({ csv: quoted, generatedAt: null });
  });

  it('leaves base64 of something else to the CSV reader, which refuses it by its columns', () => {
    const other = Buffer.from('name,email\n', 'utf8').toString('base64');

    expect(unwrapReportFile(other).csv).toBe(other);
  });

  it.each([
    ['JSON that is cut off', '{"Content": "dXNl', 'not valid JSON'],
    ['JSON without Content', cliJson({ ReportFormat: 'text/csv' }), 'no "Content" string'],
    [
      'another ReportFormat',
      cliJson({ Content: BASE64, ReportFormat: 'text/xml' }),
      '"ReportFormat" is "text/xml"',
    ],
    [
      'a GeneratedTime that is no instant',
      cliJson({ Content: BASE64, GeneratedTime: 'today' }),
      '"GeneratedTime" is "today"',
    ],
    ['Content that is not base64', cliJson({ Content: 'user,arn' }), '"Content" is not base64'],
    [
      'a JSON string that is not base64',
      JSON.stringify('user,arn'),
      'the file is a JSON string that is not base64 (expected aws iam get-credential-report --query Content)',
    ],
    [
      "stale-iam's own JSON report",
      cliJson({ schemaVersion: 1, users: [] }),
      'the file is a stale-iam scan report (JSON); scan the credential report it was made from',
    ],
    [
      'Content that is not UTF-8',
      cliJson({ Content: Buffer.from([0xff, 0xfe, 0xfd]).toString('base64') }),
      'does not decode to UTF-8 text',
    ],
  ])('refuses %s with one line saying what it expected', (_what, text, message) => {
    expect(refusal(text)).toContain(message);
  });
});

describe('unwrapReportFile: what the AWS CLI really prints', () => {
  // `aws iam get-credential-report` (AWS CLI 1.45) against the emulator, with two users, saved as printed.
  const fixture = (name: string) =>
    readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'aws-cli', name), 'utf8');
  const json = JSON.parse(fixture('get-credential-report.json')) as {
    Content: string;
    GeneratedTime: string;
    ReportFormat: string;
  };
  const csv = Buffer.from(json.Content, 'base64').toString('utf8');

  it.each([
    ['--output json', 'get-credential-report.json'],
    ['--output text', 'get-credential-report.txt'],
  ])('reads %s with when AWS generated the report', (_output, name) => {
    const file = unwrapReportFile(fixture(name));

    expect(file).toEqual({ csv, generatedAt: new Date(json.GeneratedTime) });
    expect(parseCredentialReport(file.csv).users.map((r) => r.user.userName)).toEqual(['alice', 'build-bot']);
  });

  it('reads --query Content --output text', () => {
    expect(unwrapReportFile(fixture('get-credential-report-content.txt'))).toEqual({
      csv,
      generatedAt: null,
    });
  });

  it('reads --output yaml', () => {
    const yaml = `Content: ${json.Content}\nGeneratedTime: '${json.GeneratedTime}'\nReportFormat: text/csv\n`;

    expect(unwrapReportFile(yaml)).toEqual({ csv, generatedAt: new Date(json.GeneratedTime) });
  });

  it('refuses YAML whose report format is another', () => {
    const yaml = `Content: ${json.Content}\nReportFormat: text/xml\n`;

    expect(refusal(yaml)).toContain('"ReportFormat" is "text/xml", expected "text/csv"');
  });
});

describe('decodeReportFile', () => {
  const text = 'user\tarn\r\nalice\tarn:aws:iam::123456789012:user/alice\r\n';

  it('reads UTF-8, with or without a byte order mark', () => {
    expect(decodeReportFile(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeReportFile(Buffer.from(`\uFEFF${text}`, 'utf8'))).toBe(text);
  });

  it('reads UTF-16LE with its byte order mark, as Excel saves "Unicode Text"', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

    expect(decodeReportFile(bytes)).toBe(text);
  });

  it('reads UTF-16BE with its byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);

    expect(decodeReportFile(bytes)).toBe(text);
  });

  it('refuses UTF-16 with an odd number of bytes in one line', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(text, 'utf16le'),
      Buffer.from([0x41]),
    ]);

    expect(() => decodeReportFile(bytes)).toThrow(
      new InvalidInputError(
        'not a credential report: the file starts with a UTF-16 byte order mark but has an odd number of bytes',
      ),
    );
  });
});

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CredentialReportFileSource } from '../../../src/adapters/credential-report/file-source';
import type { UserInventory } from '../../../src/domain/scan/ports';
import { credentialReportCsv } from '../../support/credential-report-fixture';
import { temporaryDirectory } from '../../support/temp-dir';

const dir = temporaryDirectory('file-source');
const OLD_USE = { setAt: '2024-01-15T09:30:00+00:00', lastUsedAt: '2026-01-30T08:57:03+00:00' };
/** Its newest date is 2026-01-30: old, but a bare CSV's dates say nothing of when AWS generated it. */
const CSV = credentialReportCsv('123456789012', [{ user: 'alice', password: OLD_USE }, { user: 'bob' }]);

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

async function read(target: string): Promise<{ inventory: UserInventory; warnings: string[] }> {
  const warnings: string[] = [];
  const inventory = await new CredentialReportFileSource(target).read({
    scope: 'all',
    onWarning: (warning) => warnings.push(warning),
  });
  return { inventory, warnings };
}

describe('CredentialReportFileSource: the file as people save it', () => {
  it('reads Excel\'s "Unicode Text" (UTF-16LE with a byte order mark, tabs, CRLF) as the CSV it came from', async () => {
    const unicodeText = CSV.replace(/,/g, '\t').replace(/\n/g, '\r\n');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(unicodeText, 'utf16le')]);

    const fromExcel = await read(file('unicode.txt', bytes));
    const fromCsv = await read(file('report.csv', CSV));

    expect(fromExcel.inventory).toEqual(fromCsv.inventory);
    expect(fromExcel.inventory.users.map((u) => u.user.userName)).toEqual(['alice', 'bob']);
  });

  it("reads the AWS CLI's JSON as PowerShell 5 redirects it (UTF-16LE with a byte order mark, CRLF)", async () => {
    const json = JSON.stringify(
      {
        Content: Buffer.from(CSV).toString('base64'),
        ReportFormat: 'text/csv',
        GeneratedTime: '2026-11-27T21:14:09+00:00',
      },
      null,
      4,
    ).replace(/\n/g, '\r\n');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${json}\r\n`, 'utf16le')]);

    const { inventory } = await read(file('powershell.json', bytes));

    expect(inventory.users.map((u) => u.user.userName)).toEqual(['alice', 'bob']);
    expect(inventory.credentialReportGeneratedAt).toEqual(new Date('2026-11-27T21:14:09Z'));
  });

  it('reads UTF-16BE with a byte order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CSV, 'utf16le').swap16()]);

    const { inventory } = await read(file('be.csv', bytes));

    expect(inventory.users.map((u) => u.user.userName)).toEqual(['alice', 'bob']);
  });
});

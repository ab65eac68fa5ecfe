import { REPORT_CSV_COLUMNS } from '../../domain/report/report-csv';
import { fitLength } from '../../lib/fit-length';
import { escapeUnsafe } from '../../lib/safe-text';
import { columnName, detectDelimiter } from './csv-rows';

/**
 * What a file that is not a credential report looks like, in a few words and what to do about it:
 * the refusal then says what was given (a workbook, a stale-iam report, some other CSV) instead of
 * listing a dozen missing columns nobody can act on.
 */
export function whatTheFileLooksLike(text: string): string {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('PK\u0003\u0004')) {
    return 'the file is a zip archive, such as an Excel workbook (.xlsx): save the sheet as CSV UTF-8 and scan that';
  }
  if (start.includes('\u0000')) {
    return 'the file is UTF-16 text without a byte order mark, or binary: save it as UTF-8 (CSV UTF-8) and scan that';
  }
  if (/^<(!doctype\s+html|html)[\s>]/i.test(start)) {
    return 'the file is an HTML page (a saved web page, or a stale-iam HTML report); scan the credential report itself';
  }
  if (start.startsWith('<')) return 'the file is XML or markup, not CSV';
  if (start.startsWith('[')) {
    return 'the file is a JSON array; expected the CSV, or the output of aws iam get-credential-report';
  }
  const end = start.search(/[\r\n]/);
  const firstLine = end === -1 ? start : start.slice(0, end);
  const columns = firstLine.split(detectDelimiter(firstLine)).map(columnName);
  if (REPORT_CSV_COLUMNS.every((column) => columns.includes(column))) {
    return 'the file is a stale-iam CSV report (one row per credential); scan the credential report it was made from';
  }
  const shown = JSON.stringify(escapeUnsafe(fitLength(firstLine, 60)));
  return `its first line is ${shown}, where a credential report's header starts with user,arn,user_creation_time`;
}

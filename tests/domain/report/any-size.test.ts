import { formatReportTable } from '../../../src/cli/format-table';
import { MAX_MESSAGE_BYTES, buildOperatorMessage } from '../../../src/domain/notification/message';
import { formatReportCsv } from '../../../src/domain/report/report-csv';
import { jsonForTerminal } from '../../../src/lib/safe-text';
import {
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  password,
  staleUser,
} from '../../support/report-builder';

/**
 * Every rendering of a report handles any number of users the memory holds: no recursion, no
 * spreading the users into a call (`Math.max(...rows)` throws a RangeError near 130,000).
 */
const USERS = 130_000;
const report = buildReport(
  Array.from({ length: USERS }, (_, i) =>
    i % 2 === 0
      ? staleUser(`user-${i}`, password(100 + (i % 900)), accessKey(1, 200))
      : activeUser(`user-${i}`, password(1)),
  ),
);

describe(`a report of ${USERS.toLocaleString('en')} users`, () => {
  it('prints as the CLI table, every user on a row', () => {
    const table = formatReportTable(report);

    expect(table.split('\n').filter((line) => line.startsWith('user-'))).toHaveLength(USERS);
  });

  it('prints as CSV, one row per credential', () => {
    const csv = formatReportCsv(report);

    expect(csv.split('\n').length - 2).toBe(USERS * 1.5);
  });

  it('prints as JSON that reads back whole', () => {
    expect((JSON.parse(jsonForTerminal(report)) as { users: unknown[] }).users).toHaveLength(USERS);
  });

  it('becomes an email within the SNS limit', () => {
    const built = buildOperatorMessage(report, {
      language: 'en',
      location: LOCATION,
      notifyWhenClean: false,
    });

    expect(Buffer.byteLength(built?.body ?? '', 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(built?.body).toMatch(/\.\.\. and \d+ more users \(see the full report\)/);
  });
});

import { parseReportLocation } from '../../src/contracts/report-location';
import { InvalidInputError } from '../../src/lib/errors';
import { thrownBy } from '../support/rejection';

const KEY = 'reports/123456789012/2026/11/28/scan-2026-11-28T000000Z.json';
const CSV_KEY = 'reports/123456789012/2026/11/28/scan-2026-11-28T000000Z.csv';

describe('parseReportLocation', () => {
  it('takes the location the scan step returned', () => {
    expect(parseReportLocation({ report: { bucket: 'b', key: KEY, csvKey: CSV_KEY } }, 'notify')).toEqual({
      bucket: 'b',
      key: KEY,
      csvKey: CSV_KEY,
    });
  });

  it.each([
    ['no event', null],
    ['no report', {}],
    ['a report without csvKey', { report: { bucket: 'b', key: KEY } }],
    ['a key that is not a string', { report: { bucket: 'b', key: 7, csvKey: CSV_KEY } }],
    ['an empty bucket', { report: { bucket: '', key: KEY, csvKey: CSV_KEY } }],
  ])('refuses %s, naming the step', (_what, event) => {
    const error = thrownBy(() => parseReportLocation(event, 'disable'));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe('disable expects { report: { bucket, key, csvKey } } from the scan step');
  });

  it.each([
    ['an audit object', 'audit/123456789012/2026/11/28/disable-2026-11-28T000512Z.jsonl'],
    ['a key outside reports/', 'uploads/123456789012/2026/11/28/scan-2026-11-28T000000Z.json'],
    ['a path that climbs out', 'reports/../audit/123456789012/2026/11/28/scan-2026-11-28T000000Z.json'],
    ['another file name', 'reports/123456789012/2026/11/28/mine.json'],
  ])('refuses %s as the report key: only keys the scan writes are read', (_what, key) => {
    const event = { report: { bucket: 'b', key, csvKey: key.replace(/\.json$/, '.csv') } };
    expect(thrownBy(() => parseReportLocation(event, 'disable')).message).toContain(
      'is not a report key the scan writes',
    );
  });

  it('refuses a CSV key that is not the one beside the report', () => {
    const event = { report: { bucket: 'b', key: KEY, csvKey: 'reports/other.csv' } };
    expect(thrownBy(() => parseReportLocation(event, 'notify')).message).toContain('not a report key');
  });
});

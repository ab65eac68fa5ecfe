import { followMarkers } from '../../../src/adapters/iam/reads';
import { AwsReadError } from '../../../src/lib/errors';
import { rejectionOf } from '../../support/rejection';

describe('followMarkers', () => {
  it('follows Marker while IsTruncated, keeping every item in order', async () => {
    const pages = [
      { items: [1, 2], isTruncated: true, marker: 'm1' },
      { items: [], isTruncated: true, marker: 'm2' },
      { items: [3], isTruncated: false },
    ];
    const asked: (string | undefined)[] = [];

    const items = await followMarkers('listing', async (marker) => {
      asked.push(marker);
      return pages[asked.length - 1] ?? { items: [] };
    });

    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 'm1', 'm2']);
  });

  it('takes a page of any size, as an endpoint that ignores MaxItems sends (moto)', async () => {
    const everyone = Array.from({ length: 300_000 }, (_, i) => i);

    const items = await followMarkers('listing', async () => ({ items: everyone, isTruncated: false }));

    expect(items).toHaveLength(300_000);
  });

  it('refuses a truncated page without a new marker instead of looping or stopping short', async () => {
    const error = await rejectionOf(
      followMarkers('listing users', async () => ({ items: [1], isTruncated: true, marker: 'same' })),
    );

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe('listing users failed: IsTruncated without a new Marker');
  });
});

import { findingId, parseFindingId } from '../../../src/domain/findings/finding-id';
import { ACCOUNT_ID, accessKey, password } from '../../support/report-builder';

describe('finding ids: one per credential, the same on every run', () => {
  it('names a console password by account, user and "password"', () => {
    const pw = password(120);

    expect(findingId(ACCOUNT_ID, 'alice', pw, [pw])).toBe(`stale-iam/${ACCOUNT_ID}/alice/password`);
  });

  it('names an access key by its id when the source names keys (the IAM API)', () => {
    const key = accessKey(1, 200, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });

    expect(findingId(ACCOUNT_ID, 'alice', key, [key])).toBe(
      `stale-iam/${ACCOUNT_ID}/alice/access-key/AKIAIOSFODNN7EXAMPLE`,
    );
  });

  it('gives two keys of one user two different ids, from either source', () => {
    const byId = [
      accessKey(1, 200, { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }),
      accessKey(2, 300, { accessKeyId: 'AKIABBBBBBBBBBBBBBBB' }),
    ];
    const bySlot = [accessKey(1, 200), accessKey(2, 300)];

    for (const keys of [byId, bySlot]) {
      const ids = keys.map((k) => findingId(ACCOUNT_ID, 'alice', k, keys));
      expect(new Set(ids).size).toBe(2);
    }
  });

  it('names a key the credential report does not name by its creation instant, whatever slot it is in', () => {
    const created = '2025-10-26T08:15:30.000Z';
    const inSlot2 = accessKey(2, 200, { createdAt: created });
    // Key 1 deleted: the report now shows the same key in slot 1.
    const inSlot1 = accessKey(1, 200, { createdAt: created });

    const before = findingId(ACCOUNT_ID, 'alice', inSlot2, [accessKey(1, 10), inSlot2]);
    const after = findingId(ACCOUNT_ID, 'alice', inSlot1, [inSlot1]);

    expect(before).toBe(`stale-iam/${ACCOUNT_ID}/alice/access-key/created-2025-10-26T08:15:30Z`);
    expect(after).toBe(before);
  });

  it('adds the slot only when both keys of a user were created in the same second', () => {
    const first = accessKey(1, 200, { createdAt: '2025-10-26T08:15:30.100Z' });
    const second = accessKey(2, 200, { createdAt: '2025-10-26T08:15:30.900Z' });

    expect(findingId(ACCOUNT_ID, 'bot', first, [first, second])).toBe(
      `stale-iam/${ACCOUNT_ID}/bot/access-key/created-2025-10-26T08:15:30Z-slot1`,
    );
    expect(findingId(ACCOUNT_ID, 'bot', second, [first, second])).toBe(
      `stale-iam/${ACCOUNT_ID}/bot/access-key/created-2025-10-26T08:15:30Z-slot2`,
    );
  });

  it('never builds a key id from its last use, which changes with every use', () => {
    const withoutCreation = { ...accessKey(2, 200), createdAt: undefined };

    expect(findingId(ACCOUNT_ID, 'alice', withoutCreation, [withoutCreation])).toBe(
      `stale-iam/${ACCOUNT_ID}/alice/access-key/slot2`,
    );
  });

  it('reads back the account, the user and the kind of credential, and refuses ids that are not ours', () => {
    expect(parseFindingId(`stale-iam/${ACCOUNT_ID}/ops.bot@corp/access-key/AKIAIOSFODNN7EXAMPLE`)).toEqual({
      accountId: ACCOUNT_ID,
      userName: 'ops.bot@corp',
      credential: 'access-key',
    });
    expect(parseFindingId(`stale-iam/${ACCOUNT_ID}/alice/password`)?.credential).toBe('password');
    expect(parseFindingId('prowler-iam_user_accesskey_unused-123456789012-us-east-1-alice')).toBeNull();
    expect(parseFindingId(`stale-iam/12345/alice/password`)).toBeNull();
  });
});

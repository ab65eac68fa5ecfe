import { NoSuchEntityException, type User, type UserDetail } from '@aws-sdk/client-iam';

/** The account every SDK-level test user lives in. */
export const TEST_ACCOUNT = '123456789012';

/** A ListUsers / GetUser `User` as IAM returns it; `extra` adds PasswordLastUsed, tags, a path. */
export function sdkUser(name: string, extra: Partial<User> = {}): User {
  return {
    UserName: name,
    UserId: `AIDA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${TEST_ACCOUNT}:user/${name}`,
    Path: '/',
    CreateDate: new Date('2024-01-01T00:00:00Z'),
    ...extra,
  };
}

/** A GetAccountAuthorizationDetails `UserDetail`: no groups and no tags unless given. */
export function sdkUserDetail(name: string, extra: Partial<UserDetail> = {}): UserDetail {
  return { ...sdkUser(name), GroupList: [], Tags: [], ...extra };
}

/** IAM's 404 `NoSuchEntity`, as the SDK raises it. */
export function noSuchEntity(message: string): NoSuchEntityException {
  return new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });
}

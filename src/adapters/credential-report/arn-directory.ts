import type { ExemptionDirectory } from '../../domain/scan/scan-account';
import type { UserSource } from '../../domain/scan/ports';
import type { UserDirectoryEntry } from '../../domain/verdict/exemptions';

/**
 * The exemption directory of an offline credential report: each user's path, from its ARN
 * (`arn:aws:iam::<account>:user/<path...>/<name>`). A report carries no tags and no groups, so
 * only the user-name and path rules can be applied; the CLI says so when it plans from a file.
 */
export class ArnExemptionDirectory implements ExemptionDirectory {
  constructor(private readonly source: UserSource) {}

  async readAll(): Promise<ReadonlyMap<string, UserDirectoryEntry>> {
    const { users } = await this.source.read({ scope: 'all' });
    return new Map(
      users.map(({ user }) => [
        user.userName,
        { userName: user.userName, path: pathOf(user.arn, user.userName), tags: new Map(), groupNames: null },
      ]),
    );
  }
}

/** `/` for `...:user/alice`, `/ops/eu/` for `...:user/ops/eu/alice`. */
function pathOf(arn: string, userName: string): string {
  const afterUser = /:user(\/.*)$/.exec(arn)?.[1] ?? '/';
  return afterUser.endsWith(`/${userName}`) ? afterUser.slice(0, afterUser.length - userName.length) : '/';
}

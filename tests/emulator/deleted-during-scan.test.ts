import {
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DeleteLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { CredentialReportSource } from '../../src/adapters/credential-report/source';
import { IamExemptionDirectory } from '../../src/adapters/iam/exemption-directory';
import type { UserSource } from '../../src/domain/scan/ports';
import { scanAccount } from '../../src/domain/scan/scan-account';
import { NO_EXEMPTIONS } from '../../src/domain/verdict/exemptions';
import { iamClient } from './support/aws';
import { describeWithEmulator, useMoto } from './support/moto';

/**
 * A user in the credential report (AWS's can be up to 4 hours old) who is gone when the exemptions
 * are read: IAM's real answers (GetAccountAuthorizationDetails without the user, GetUser
 * NoSuchEntity) make it a user deleted during the scan, not a lost one. moto rebuilds its report
 * on every read, so the deletion is made right after the report was read.
 */
describeWithEmulator('a user deleted after the credential report was read, against the emulator', () => {
  const moto = useMoto();

  it('is named in deletedDuringScan, gets no verdict, and the report stays whole', async () => {
    const iam = iamClient(moto.current.endpoint);
    for (const name of ['alice', 'leaver']) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: 'Emulator-Passw0rd!' }));
    }
    const report = new CredentialReportSource({ client: iam, sleep: async () => undefined });
    let reportRead: () => void = () => undefined;
    const read = new Promise<void>((resolve) => (reportRead = resolve));
    const thenDeleteLeaver: UserSource = {
      kind: 'credential-report',
      read: async (options) => {
        const inventory = await report.read(options);
        await iam.send(new DeleteLoginProfileCommand({ UserName: 'leaver' }));
        await iam.send(new DeleteUserCommand({ UserName: 'leaver' }));
        reportRead();
        return inventory;
      },
    };
    const iamDirectory = new IamExemptionDirectory(iam);
    const now = new Date();

    const scanned = await scanAccount(thenDeleteLeaver, {
      thresholdDays: 90,
      now,
      scope: 'all',
      clock: () => now,
      exemptions: {
        rules: NO_EXEMPTIONS,
        directory: {
          readAll: async () => {
            await read;
            return iamDirectory.readAll();
          },
          deletedOf: (names) => iamDirectory.deletedOf(names),
        },
      },
    });

    expect(scanned.users.map((u) => [u.userName, u.status])).toEqual([['alice', 'active']]);
    expect(scanned.deletedDuringScan).toEqual(['leaver']);
    expect(scanned.partial).toBe(false);
  });
});

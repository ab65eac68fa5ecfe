import { readFile } from 'node:fs/promises';
import type { ReadOptions, UserInventory, UserSource } from '../../domain/scan/ports';
import { InvalidInputError } from '../../lib/errors';
import { parseCredentialReport } from './csv';
import { ageWarning } from './report-age';
import { decodeReportFile, unwrapReportFile } from './report-file';

export interface CredentialReportFileSourceOptions {
  /**
   * The instant the scan judges the file as of (the CLI's --now, or the clock). A report older
   * than that by more than AWS's regeneration interval gets one warning saying how old it is and
   * suggesting --now; the verdicts are not changed.
   */
  readonly judgedAsOf?: Date;
}

/**
 * A credential report file read offline, with no AWS call at all: the CSV downloaded from the IAM
 * console, or the JSON `aws iam get-credential-report` prints (see report-file.ts).
 */
export class CredentialReportFileSource implements UserSource {
  readonly kind = 'file' as const;

  constructor(
    private readonly path: string,
    private readonly options: CredentialReportFileSourceOptions = {},
  ) {}

  async read({ onProgress, onWarning }: ReadOptions): Promise<UserInventory> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
      throw new InvalidInputError(`cannot read credential report ${this.path}: ${why}`, { cause: error });
    }
    const file = unwrapReportFile(decodeReportFile(bytes));
    const parsed = parseCredentialReport(file.csv);
    const { judgedAsOf } = this.options;
    const age = judgedAsOf ? ageWarning(file.generatedAt, judgedAsOf) : null;
    for (const warning of age ? [age, ...parsed.warnings] : parsed.warnings) onWarning?.(warning);
    onProgress?.({ done: parsed.users.length, total: parsed.users.length });
    return {
      users: parsed.users,
      accountId: parsed.accountId,
      credentialReportGeneratedAt: file.generatedAt,
    };
  }
}

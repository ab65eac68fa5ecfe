import { readFile } from 'node:fs/promises';
import type { ReadOptions, UserInventory, UserSource } from '../../domain/scan/ports';
import { InvalidInputError } from '../../lib/errors';
import { parseCredentialReport } from './csv';

/** A credential report CSV downloaded from the IAM console, read offline: no AWS call at all. */
export class CredentialReportFileSource implements UserSource {
  readonly kind = 'file' as const;

  constructor(private readonly path: string) {}

  async read({ onProgress }: ReadOptions): Promise<UserInventory> {
    let content: string;
    try {
      content = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
      throw new InvalidInputError(`cannot read credential report ${this.path}: ${why}`, { cause: error });
    }
    const parsed = parseCredentialReport(content);
    onProgress?.({ done: parsed.users.length, total: parsed.users.length });
    return { users: parsed.users, accountId: parsed.accountId, credentialReportGeneratedAt: null };
  }
}

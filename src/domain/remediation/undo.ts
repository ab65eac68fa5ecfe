import type { ActionOutcome, PlannedAction } from './plan';

/**
 * The AWS CLI command that reverses what was done, or null when nothing was done. Every value is
 * single-quoted and joined to its option with `=`: IAM user names may start with `-`, which the CLI
 * would otherwise read as an option, and the shell must see the name as one word whatever it holds.
 */
export function undoCommand(
  action: Pick<PlannedAction, 'userName' | 'action'>,
  outcome: ActionOutcome,
  accessKeyId: string | null,
): string | null {
  const user = `--user-name=${shellQuote(action.userName)}`;
  if (outcome === 'deleted' && action.action === 'delete-login-profile') {
    return `aws iam create-login-profile ${user} --password '<new temporary password>' --password-reset-required`;
  }
  if (outcome === 'deactivated' && action.action === 'deactivate-access-key' && accessKeyId) {
    return `aws iam update-access-key ${user} --access-key-id=${shellQuote(accessKeyId)} --status Active`;
  }
  return null;
}

/** One POSIX shell word: single quotes, each `'` inside written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `111122223333 (payments)`, or the id alone for an account without a name: how the organisation email names an account. */
export function accountLabel(account: { readonly accountId: string; readonly name: string }): string {
  return account.name ? `${account.accountId} (${account.name})` : account.accountId;
}

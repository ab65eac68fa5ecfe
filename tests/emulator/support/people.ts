import type { SeedUser } from '../../../tools/emulator/organization';

/**
 * The users a member account of the emulator tests holds: one of each kind of credential holder.
 * Created today, they are all stale 91 days from now, except those without an active credential.
 */
export const PEOPLE: readonly SeedUser[] = [
  { userName: 'console-user', password: true },
  { userName: 'key-user', accessKeys: ['active'] },
  { userName: 'both.kinds', password: true, accessKeys: ['active', 'inactive'] },
  { userName: 'inactive-key-user', accessKeys: ['inactive'] },
  { userName: 'no-credentials' },
];

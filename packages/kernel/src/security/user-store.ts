import type { UserPermissions } from './user-permissions';

export const UserStore = Symbol.for('tessera.UserStore');

/**
 * The broker's users, shared by every protocol front that authenticates clients. Bound by
 * default from the config file's `security` section; a plugin may bind its own.
 */
export interface UserStore {
  /** True when the user exists and the password matches, compared in constant time. */
  authenticate(username: string, password: string | Buffer): boolean;
  /** What a user (undefined: an anonymous client) may do; undefined means everything. */
  permissionsOf(username: string | undefined): UserPermissions | undefined;
}

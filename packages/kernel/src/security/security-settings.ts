import type { UserPermissions } from './user-permissions';

export interface SecurityUser {
  username: string;
  password: string;
  /** Absent: the user may produce and consume everywhere. */
  permissions?: UserPermissions;
}

/** The config file's `security` section. */
export interface SecuritySettings {
  users: SecurityUser[];
  /** What anonymous clients may do where a front lets them in; absent: everything. */
  anonymousPermissions?: UserPermissions;
}

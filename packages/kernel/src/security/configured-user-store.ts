import { createHash, timingSafeEqual } from 'node:crypto';
import type { SecuritySettings } from './security-settings';
import type { UserPermissions } from './user-permissions';
import type { UserStore } from './user-store';

/** Some digest to compare against for an unknown user, so it takes as long as a known one. */
const UNKNOWN_USER_DIGEST = digest('');

/** The users of the config file's `security` section, passwords kept as SHA-256 digests. */
export class ConfiguredUserStore implements UserStore {
  private readonly users = new Map<string, { digest: Buffer; permissions?: UserPermissions }>();

  constructor(private readonly settings: SecuritySettings) {
    for (const user of settings.users) this.users.set(user.username, { digest: digest(user.password), permissions: user.permissions });
  }

  authenticate(username: string, password: string | Buffer): boolean {
    const user = this.users.get(username);
    // Digests have one length, so the comparison takes the same time whatever the guess.
    const matches = timingSafeEqual(user?.digest ?? UNKNOWN_USER_DIGEST, digest(password));
    return user !== undefined && matches;
  }

  permissionsOf(username: string | undefined): UserPermissions | undefined {
    if (username === undefined) return this.settings.anonymousPermissions;
    return this.users.get(username)?.permissions;
  }
}

function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

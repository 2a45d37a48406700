import { Admin } from '@tessera/client';

/** Runs `use` with a started Admin client and shuts it down afterwards. */
export async function withAdmin(server: string, use: (admin: Admin) => Promise<void>): Promise<void> {
  const admin = new Admin({ server });
  await admin.start();
  try {
    await use(admin);
  } finally {
    await admin.shutdown();
  }
}

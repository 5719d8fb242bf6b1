import type { DbClient } from "@/lib/db";

/** A user row for tests of lib/ that need an owner but not a login (accounts are tested in lib/auth). */
export async function testUser(client: DbClient, username = "tester") {
  return client.user.upsert({
    where: { username },
    update: {},
    create: { username, name: username, email: `${username}@example.test` },
  });
}

/** The id of the default test user, made on first use in this file's database. */
export async function ownerId() {
  const { db } = await import("@/lib/db");
  return (await testUser(db())).id;
}

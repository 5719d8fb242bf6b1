import { z } from "zod";
import type { Db } from "@/lib/db";
import { deleteAsset } from "@/lib/assets/queries";
import type { Storage } from "@/lib/storage";
import { ACTIVE_JOB_STATUSES } from "@/lib/jobs/status";
import { log } from "@/lib/log";
import { auth, USERNAME_PATTERN } from "./server";

// Accounts as administrators and the first-run set-up see them. better-auth does the
// hashing, sessions and bans; this module decides who may do what and keeps Trawl's rows
// (jobs, assets, stored bytes) consistent with the users.

/** An account refused for a reason the person can act on; status is the HTTP one. */
export class AccountError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409,
  ) {
    super(message);
    this.name = "AccountError";
  }
}

/** Users created without an e-mail address get one on this reserved domain (better-auth needs one). */
const NO_EMAIL_DOMAIN = "users.trawl.invalid";
/** The one user of a library from before login existed (see the accounts migration). */
const LEGACY_EMAIL_DOMAIN = "legacy.invalid";

export const shownEmail = (email: string) => (email.endsWith(".invalid") ? null : email);

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_PATTERN, "2–64 letters, digits, dots, dashes or underscores, starting with a letter or digit");
export const password = z.string().min(8, "At least 8 characters").max(256, "At most 256 characters");

export const newUserInput = z.object({
  username,
  name: z.string().trim().max(100).optional(),
  email: z
    .union([z.literal(""), z.email("Not an e-mail address")])
    .optional()
    .transform((v) => (v ? v.toLowerCase() : undefined)),
  password,
  role: z.enum(["admin", "user"]).default("user"),
});
export type NewUserInput = z.input<typeof newUserInput>;

/** True until the first account with a password exists: every page then leads to /setup. */
export async function needsSetup(client: Db) {
  return (await client.account.count({ where: { providerId: "credential" } })) === 0;
}

async function assertFree(client: Db, input: z.output<typeof newUserInput>) {
  const taken = await client.user.findFirst({
    where: { OR: [{ username: input.username }, ...(input.email ? [{ email: input.email }] : [])] },
    select: { username: true },
  });
  if (taken)
    throw new AccountError(
      taken.username === input.username ? `The username ${input.username} is taken` : `The e-mail ${input.email} is taken`,
      409,
    );
}

export async function createUser(client: Db, raw: NewUserInput) {
  const input = newUserInput.parse(raw);
  await assertFree(client, input);
  const { user } = await (
    await auth()
  ).api.createUser({
    body: {
      email: input.email ?? `${input.username}@${NO_EMAIL_DOMAIN}`,
      password: input.password,
      name: input.name || input.username,
      role: input.role,
      data: { username: input.username, displayUsername: input.username },
    },
  });
  log.info("user created", { userId: user.id, username: input.username, role: input.role });
  return { id: user.id, username: input.username };
}

/**
 * Creates the first administrator. A library from before login keeps its jobs and files:
 * its one user becomes this administrator (same id), with the name and password given.
 */
export async function createFirstAdmin(client: Db, raw: Omit<NewUserInput, "role">) {
  if (!(await needsSetup(client))) throw new AccountError("Trawl is already set up: sign in instead", 409);
  const input = newUserInput.parse({ ...raw, role: "admin" });
  const legacy = await client.user.findFirst({ where: { email: { endsWith: `@${LEGACY_EMAIL_DOMAIN}` } } });
  if (!legacy) return createUser(client, { ...input, role: "admin" });
  const hash = await (await (await auth()).$context).password.hash(input.password);
  await client.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: legacy.id },
      data: {
        name: input.name || input.username,
        email: input.email ?? `${input.username}@${NO_EMAIL_DOMAIN}`,
        username: input.username,
        displayUsername: input.username,
        role: "admin",
      },
    });
    await tx.account.create({
      data: { id: crypto.randomUUID(), userId: legacy.id, providerId: "credential", accountId: legacy.id, password: hash },
    });
  });
  log.info("the library's existing user became the first administrator", { userId: legacy.id, username: input.username });
  return { id: legacy.id, username: input.username };
}

async function existingUser(client: Db, userId: string) {
  const user = await client.user.findUnique({ where: { id: userId }, select: { id: true, username: true } });
  if (!user) throw new AccountError("User not found", 404);
  return user;
}

// The admin plugin's endpoints need an administrator's session cookie; the pages and the
// shell command act on behalf of one already checked here, so they use better-auth's own
// adapter, the same calls those endpoints make.
const internals = async () => (await (await auth()).$context).internalAdapter;

export async function setUserDisabled(client: Db, actorId: string, userId: string, disabled: boolean) {
  if (actorId === userId) throw new AccountError("You cannot disable your own account", 409);
  await existingUser(client, userId);
  const adapter = await internals();
  await adapter.updateUser(userId, { banned: disabled, banReason: disabled ? "Disabled by an administrator" : null, banExpires: null });
  if (disabled) await adapter.deleteUserSessions(userId);
  log.info(disabled ? "user disabled" : "user enabled", { userId, by: actorId });
}

export async function resetPassword(client: Db, userId: string, newPassword: string) {
  await existingUser(client, userId);
  const context = await (await auth()).$context;
  const hash = await context.password.hash(password.parse(newPassword));
  if (await context.internalAdapter.findCredentialAccount(userId)) await context.internalAdapter.updatePassword(userId, hash);
  else await context.internalAdapter.linkAccount({ userId, providerId: "credential", accountId: userId, password: hash });
  await context.internalAdapter.deleteUserSessions(userId);
  log.info("password reset; the user's sessions were ended", { userId });
}

/** Deletes a user with their jobs and assets; stored bytes go only when no other user's asset shares them. */
export async function deleteUser(client: Db, store: Storage, actorId: string, userId: string) {
  if (actorId === userId) throw new AccountError("You cannot delete your own account", 409);
  await existingUser(client, userId);
  const active = await client.job.count({ where: { userId, status: { in: ACTIVE_JOB_STATUSES } } });
  if (active) throw new AccountError(`Cancel this user's ${active} active job(s) first`, 409);
  const assets = await client.asset.findMany({ where: { userId }, select: { id: true } });
  for (const asset of assets) await deleteAsset(client, store, userId, asset.id);
  const adapter = await internals();
  await adapter.deleteUserSessions(userId);
  await adapter.deleteUser(userId);
  await client.apikey.deleteMany({ where: { referenceId: userId } });
  log.info("user deleted", { userId, by: actorId, assets: assets.length });
  return { assets: assets.length };
}

/** Every user with their totals: what administrators see of other people's libraries. */
export async function listUsers(client: Db) {
  const [users, jobs, assets] = await Promise.all([
    client.user.findMany({
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, username: true, email: true, role: true, banned: true, createdAt: true },
    }),
    client.job.groupBy({ by: ["userId"], _count: { _all: true } }),
    client.asset.groupBy({ by: ["userId"], _count: { _all: true }, _sum: { bytes: true } }),
  ]);
  const jobCount = new Map(jobs.map((row) => [row.userId, row._count._all]));
  const assetTotals = new Map(assets.map((row) => [row.userId, { count: row._count._all, bytes: Number(row._sum.bytes ?? 0) }]));
  return users.map((user) => ({
    ...user,
    email: shownEmail(user.email),
    disabled: user.banned,
    jobs: jobCount.get(user.id) ?? 0,
    assets: assetTotals.get(user.id)?.count ?? 0,
    bytes: assetTotals.get(user.id)?.bytes ?? 0,
  }));
}

import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { storage } from "@/lib/storage";
import { createApiKey } from "@/lib/auth/api-keys";
import { PASSWORD, signIn } from "@/tests/support/accounts";
import { AccountError, createFirstAdmin, createUser, deleteUser, listUsers, needsSetup, resetPassword, setUserDisabled } from "./accounts";

afterAll(() => db().$disconnect());

describe("accounts", () => {
  it("the first-run set-up turns a library's existing user into the administrator, keeping its jobs", async () => {
    // What the accounts migration leaves of a library from before login: one user, no password.
    const legacy = await db().user.create({ data: { id: "legacy-local", name: "local", email: "legacy-local@legacy.invalid" } });
    const job = await db().job.create({
      data: { userId: legacy.id, query: "old", mediaTypes: "images", maxItems: 5, status: "completed" },
    });
    expect(await needsSetup(db())).toBe(true);

    const admin = await createFirstAdmin(db(), { username: "Admin", password: PASSWORD });
    expect(admin).toEqual({ id: legacy.id, username: "admin" });
    expect(await db().user.findUniqueOrThrow({ where: { id: legacy.id } })).toMatchObject({
      role: "admin",
      username: "admin",
      name: "admin",
    });
    expect((await db().job.findUniqueOrThrow({ where: { id: job.id } })).userId).toBe(legacy.id);
    expect(await needsSetup(db())).toBe(false);
    expect(await signIn("admin")).toMatch(/^trawl\.session_token=/);

    await expect(createFirstAdmin(db(), { username: "intruder", password: PASSWORD })).rejects.toThrow(
      new AccountError("Trawl is already set up: sign in instead", 409),
    );
  });

  it("refuses taken names and bad input with reasons", async () => {
    await createUser(db(), { username: "frank", email: "frank@example.org", password: PASSWORD });
    await expect(createUser(db(), { username: "FRANK", password: PASSWORD })).rejects.toThrow("The username frank is taken");
    await expect(createUser(db(), { username: "frank2", email: "Frank@example.org", password: PASSWORD })).rejects.toThrow(
      "The e-mail frank@example.org is taken",
    );
    await expect(createUser(db(), { username: "g", password: PASSWORD })).rejects.toThrow(/2–64 letters/);
    await expect(createUser(db(), { username: "grace", password: "short" })).rejects.toThrow(/At least 8 characters/);
  });

  it("a reset password works and ends the user's sessions; a disabled user cannot sign in", async () => {
    const { id } = await createUser(db(), { username: "heidi", password: PASSWORD });
    const admin = await db().user.findFirstOrThrow({ where: { role: "admin" } });
    await signIn("heidi");
    expect(await db().session.count({ where: { userId: id } })).toBe(1);
    await resetPassword(db(), id, "a new password");
    expect(await db().session.count({ where: { userId: id } })).toBe(0);
    await expect(signIn("heidi")).rejects.toThrow(/401/);
    await signIn("heidi", "a new password");

    await setUserDisabled(db(), admin.id, id, true);
    await expect(signIn("heidi", "a new password")).rejects.toThrow(/403/);
    await expect(setUserDisabled(db(), admin.id, admin.id, true)).rejects.toThrow("You cannot disable your own account");
  });

  it("deleting a user removes their jobs, assets and keys, and lists show totals", async () => {
    const admin = await db().user.findFirstOrThrow({ where: { role: "admin" } });
    const { id } = await createUser(db(), { username: "ivan", password: PASSWORD });
    await createApiKey(id, "k");
    await db().job.create({ data: { userId: id, query: "q", mediaTypes: "images", maxItems: 5, status: "running" } });
    expect((await listUsers(db())).find((u) => u.id === id)).toMatchObject({
      username: "ivan",
      jobs: 1,
      assets: 0,
      disabled: false,
      email: null,
    });
    await expect(deleteUser(db(), storage(), admin.id, id)).rejects.toThrow("Cancel this user's 1 active job(s) first");
    await db().job.updateMany({ where: { userId: id }, data: { status: "cancelled" } });
    expect(await deleteUser(db(), storage(), admin.id, id)).toEqual({ assets: 0 });
    expect(await db().user.count({ where: { id } })).toBe(0);
    expect(await db().job.count({ where: { userId: id } })).toBe(0);
    expect(await db().apikey.count({ where: { referenceId: id } })).toBe(0);
    await expect(deleteUser(db(), storage(), admin.id, admin.id)).rejects.toThrow("You cannot delete your own account");
  });
});

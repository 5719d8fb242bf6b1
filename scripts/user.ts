// npm run user -- <command>: accounts from a shell, for headless installs and lost passwords.
//   create --username NAME --password PW [--email E] [--name N] [--admin]
//   reset-password --username NAME --password PW
//   list
// The first user created while no account exists becomes an administrator (the library's
// existing jobs and files become theirs, as with the set-up page).
import { parseArgs } from "node:util";
import { z } from "zod";
import { AccountError, createFirstAdmin, createUser, listUsers, needsSetup, resetPassword } from "../lib/auth/accounts";
import { db } from "../lib/db";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    username: { type: "string" },
    password: { type: "string" },
    email: { type: "string" },
    name: { type: "string" },
    admin: { type: "boolean", default: false },
  },
});
const command = z.enum(["create", "reset-password", "list"]).safeParse(positionals[0]);

async function main() {
  if (!command.success)
    throw new AccountError(
      "Usage: npm run user -- create|reset-password|list [--username NAME --password PW --email E --name N --admin]",
      400,
    );
  const client = db();
  if (command.data === "list") {
    for (const user of await listUsers(client))
      console.log(
        `${user.username ?? user.id}\t${user.role}\t${user.disabled ? "disabled" : "active"}\t${user.jobs} jobs\t${user.assets} files`,
      );
    return;
  }
  if (!values.username || !values.password) throw new AccountError("Give --username and --password", 400);
  if (command.data === "create") {
    const input = { username: values.username, password: values.password, email: values.email, name: values.name };
    const first = await needsSetup(client);
    const made = first
      ? await createFirstAdmin(client, input)
      : await createUser(client, { ...input, role: values.admin ? "admin" : "user" });
    console.log(`Created ${first || values.admin ? "administrator" : "user"} ${made.username}`);
    return;
  }
  const user = await client.user.findUnique({ where: { username: values.username.toLowerCase() }, select: { id: true } });
  if (!user) throw new AccountError(`No user ${values.username}`, 404);
  await resetPassword(client, user.id, values.password);
  console.log(`Password of ${values.username} reset; their sessions were signed out`);
}

try {
  await main();
} catch (error) {
  if (error instanceof AccountError) console.error(error.message);
  else if (error instanceof z.ZodError) console.error(error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n"));
  else throw error;
  process.exitCode = 1;
} finally {
  await db().$disconnect();
}

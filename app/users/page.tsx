import { db } from "@/lib/db";
import { listUsers } from "@/lib/auth/accounts";
import { adminPageUser } from "@/lib/auth/page-user";
import { formatBytes } from "@/app/_components/format";
import { Panel } from "@/app/_components/panel";
import { CreateUserForm, UserActions } from "./forms";
import { TableHead } from "@/app/_components/table-head";

export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const admin = await adminPageUser();
  const users = await listUsers(db());
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Users</h1>
        <p className="mt-1 text-sm text-slate-500">Each user sees only their own jobs and files; here you see their totals.</p>
      </div>
      <section aria-labelledby="users-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="users-heading" className="sr-only">
          All users
        </h2>
        <table className="w-full text-left text-sm" aria-label="Users">
          <TableHead columns={["User", "Role", "Jobs", "Files", "State", ""]} />
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => (
              <tr key={user.id} data-user={user.username ?? user.id} className="align-top">
                <td className="py-1.5">
                  <span className="font-medium">{user.username ?? user.name}</span>
                  {user.email ? <span className="block text-xs text-slate-500">{user.email}</span> : null}
                </td>
                <td className="py-1.5">{user.role === "admin" ? "administrator" : "user"}</td>
                <td className="py-1.5">{user.jobs}</td>
                <td className="py-1.5">
                  {user.assets} ({formatBytes(user.bytes)})
                </td>
                <td className="py-1.5">{user.disabled ? <span className="text-amber-800">disabled</span> : "active"}</td>
                <td className="py-1.5 text-right">
                  {user.id === admin.id ? (
                    <span className="text-xs text-slate-400">you</span>
                  ) : (
                    <UserActions userId={user.id} name={user.username ?? user.name} disabled={user.disabled} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Panel id="new-user" title="New user">
        <CreateUserForm />
      </Panel>
    </div>
  );
}

import { db } from "@/lib/db";
import { listApiKeys } from "@/lib/auth/api-keys";
import { shownEmail } from "@/lib/auth/accounts";
import { pageUser } from "@/lib/auth/page-user";
import { formatTime } from "@/app/_components/format";
import { Panel } from "@/app/_components/panel";
import { ApiKeyForm, ChangePasswordForm, RevokeKeyButton } from "./forms";
import { TableHead } from "@/app/_components/table-head";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const user = await pageUser();
  const keys = await listApiKeys(db(), user.id);
  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Your account</h1>
        <p className="mt-1 text-sm text-slate-600">
          {user.username ?? user.name}
          {shownEmail(user.email) ? ` · ${shownEmail(user.email)}` : ""} · {user.role === "admin" ? "administrator" : "user"}
        </p>
      </div>
      <Panel id="password" title="Change password">
        <ChangePasswordForm />
      </Panel>
      <Panel id="keys" title="API keys" className="space-y-3">
        <p className="text-sm text-slate-600">
          A key acts as you on every JSON route: <code>curl -H &quot;Authorization: Bearer &lt;key&gt;&quot; …/api/jobs</code>. It is shown
          once.
        </p>
        <ApiKeyForm />
        {keys.length ? (
          <table className="w-full text-left text-sm" aria-label="Your API keys">
            <TableHead columns={["Name", "Starts with", "Created", "Last used", ""]} />
            <tbody className="divide-y divide-slate-100">
              {keys.map((key) => (
                <tr key={key.id}>
                  <td className="py-1.5">{key.name}</td>
                  <td className="py-1.5 font-mono text-xs">{key.start}…</td>
                  <td className="py-1.5 text-xs">{formatTime(key.createdAt.toISOString())}</td>
                  <td className="py-1.5 text-xs">{key.lastRequest ? formatTime(key.lastRequest.toISOString()) : "never"}</td>
                  <td className="py-1.5 text-right">
                    <RevokeKeyButton keyId={key.id} name={key.name ?? key.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-sm text-slate-500">No keys yet.</p>
        )}
      </Panel>
    </div>
  );
}

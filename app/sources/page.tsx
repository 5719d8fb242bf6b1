import { db } from "@/lib/db";
import { catalogWithHealth, categoryLabels } from "@/lib/sources/catalog-view";
import { formatTime } from "@/app/_components/format";
import { SourceToggle } from "@/app/_components/source-toggle";
import { SourceKeyForm } from "@/app/_components/source-key-form";
import { pageUser } from "@/lib/auth/page-user";
import { TableHead } from "@/app/_components/table-head";

export const dynamic = "force-dynamic";

export default async function SourcesPage() {
  const user = await pageUser();
  const isAdmin = user.role === "admin";
  const catalog = await catalogWithHealth(db());
  const categories = [...new Set(catalog.map((s) => s.category))];
  const engines = new Set(catalog.map((s) => s.adapter)).size;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Sources</h1>
        <p className="mt-1 text-sm text-slate-500">
          {catalog.length} sources from {engines} adapters. Key-gated sources run once their key is set; a job that selects one without a
          key skips it and says why.{" "}
          {isAdmin
            ? "As an administrator you set keys here; a TRAWL_KEY_ variable in the environment wins over them."
            : "Administrators set the keys and choose what is offered."}
        </p>
      </div>
      {categories.map((category) => (
        <section
          key={category}
          aria-labelledby={`category-${category}`}
          className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
          <h2 id={`category-${category}`} className="text-lg font-semibold">
            {categoryLabels[category] ?? category}
          </h2>
          <table className="mt-2 w-full text-left text-sm">
            <TableHead columns={["Source", "Media", "Key", "Health", "Offered"]} />
            <tbody className="divide-y divide-slate-100">
              {catalog
                .filter((s) => s.category === category)
                .map((s) => (
                  <tr key={s.id} data-source={s.id} className="align-top">
                    <td className="py-1.5 pr-2">
                      <a href={s.homepage} rel="noreferrer noopener" target="_blank" className="font-medium hover:text-indigo-700">
                        {s.name}
                      </a>
                      <span className="block text-xs text-slate-500">{s.description}</span>
                    </td>
                    <td className="py-1.5 pr-2 text-xs">{s.mediaTypes.join(", ")}</td>
                    <td className="py-1.5 pr-2 text-xs">
                      {!s.key ? (
                        <span className="text-slate-500">none needed</span>
                      ) : s.key.origin === "environment" ? (
                        <span className="text-emerald-700">
                          set by <code>{s.key.variable}</code> (in force)
                        </span>
                      ) : s.key.origin === "settings" ? (
                        <span className="text-emerald-700">set here {s.key.storedHint}</span>
                      ) : (
                        <span className="text-amber-800" title={s.key.help}>
                          missing
                        </span>
                      )}
                      {s.key && isAdmin && s.key.origin !== "environment" ? (
                        <SourceKeyForm sourceId={s.id} name={s.name} storedHint={s.key.storedHint} />
                      ) : null}
                    </td>
                    <td className="py-1.5 pr-2 text-xs">
                      {s.lastSuccessAt ? <span className="block text-emerald-700">ok {formatTime(s.lastSuccessAt)}</span> : null}
                      {s.lastError ? (
                        <span className="block text-red-700" title={s.lastError}>
                          error {formatTime(s.lastErrorAt)}: {s.lastError}
                        </span>
                      ) : null}
                      {!s.lastSuccessAt && !s.lastError ? <span className="text-slate-400">not used yet</span> : null}
                    </td>
                    <td className="py-1.5 text-xs">
                      {isAdmin ? <SourceToggle sourceId={s.id} name={s.name} enabled={s.enabled} /> : s.enabled ? "yes" : "no"}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

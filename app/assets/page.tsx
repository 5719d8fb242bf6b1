import Link from "next/link";
import { db } from "@/lib/db";
import { pageUser } from "@/lib/auth/page-user";
import { assetFilter, listAssets, type AssetFilter } from "@/lib/assets/queries";
import { describeSources } from "@/lib/sources/registry";
import { formatBytes } from "@/app/_components/format";
import { MediaPreview } from "@/app/_components/media-preview";
import { FilterProblem, pageFilter } from "@/app/_components/page-filter";

export const dynamic = "force-dynamic";

function pageLink(filter: AssetFilter, page: number) {
  const params = new URLSearchParams();
  if (filter.type) params.set("type", filter.type);
  if (filter.source) params.set("source", filter.source);
  if (filter.job) params.set("job", filter.job);
  params.set("page", String(page));
  return `/assets?${params}`;
}

export default async function AssetsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await pageUser();
  const { filter, problem } = await pageFilter(assetFilter, searchParams);
  const result = await listAssets(db(), user.id, filter);
  const sources = describeSources();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-bold tracking-tight">Assets</h1>
        <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filter assets">
          <label className="flex flex-col">
            <span className="text-slate-600">Type</span>
            <select name="type" defaultValue={filter.type ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5">
              <option value="">All</option>
              <option value="image">Images</option>
              <option value="video">Videos</option>
            </select>
          </label>
          <label className="flex flex-col">
            <span className="text-slate-600">Source</span>
            <select name="source" defaultValue={filter.source ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5">
              <option value="">All</option>
              {sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col">
            <span className="text-slate-600">Job id</span>
            <input name="job" defaultValue={filter.job ?? ""} className="w-56 rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
          <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500">
            Filter
          </button>
        </form>
      </div>
      <FilterProblem problem={problem} />
      <p className="text-sm text-slate-500">
        {result.total} asset{result.total === 1 ? "" : "s"}
      </p>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4 lg:grid-cols-6" aria-label="Assets">
        {result.assets.map((asset) => (
          <li key={asset.id} className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
            <Link href={`/assets/${asset.id}`} className="block">
              <div className="flex aspect-square items-center justify-center bg-slate-100">
                {asset.thumbUrl ? (
                  // eslint-disable-next-line @next/next/no-img-element -- thumbnails come from our own API
                  <img src={asset.thumbUrl} alt={asset.title ?? asset.originalName} className="h-full w-full object-cover" loading="lazy" />
                ) : (
                  <MediaPreview
                    mediaType={asset.mediaType}
                    fileUrl={asset.fileUrl}
                    label={asset.title ?? asset.originalName}
                    durationMs={asset.durationMs}
                  />
                )}
              </div>
              <div className="p-2 text-xs">
                <p className="truncate font-medium">{asset.title ?? asset.originalName}</p>
                <p className="text-slate-500">
                  {asset.sourceName} · {formatBytes(asset.bytes)}
                </p>
              </div>
            </Link>
          </li>
        ))}
      </ul>
      {result.pages > 1 ? (
        <nav className="flex items-center gap-3 text-sm" aria-label="Pagination">
          {filter.page > 1 ? <Link href={pageLink(filter, filter.page - 1)}>← Previous</Link> : null}
          <span>
            Page {filter.page} of {result.pages}
          </span>
          {filter.page < result.pages ? <Link href={pageLink(filter, filter.page + 1)}>Next →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

import Link from "next/link";
import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { pageUser } from "@/lib/auth/page-user";
import { assetSummary, getAsset } from "@/lib/assets/queries";
import { similarAssets } from "@/lib/assets/similar";
import { formatBytes, formatDuration, formatTime } from "@/app/_components/format";
import { DeleteAssetButton } from "@/app/_components/delete-asset-button";

export const dynamic = "force-dynamic";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2 py-1.5">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words">{children ?? "—"}</dd>
    </div>
  );
}

const ExternalLink = ({ href }: { href: string | null }) =>
  href ? (
    <a href={href} rel="noreferrer noopener" target="_blank" className="text-indigo-700 hover:underline">
      {href}
    </a>
  ) : null;

export default async function AssetPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await pageUser();
  const row = await getAsset(db(), user.id, (await params).id);
  if (!row) notFound();
  const asset = assetSummary(row);
  const similar = await similarAssets(db(), user.id, asset.id);
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-500">
        <Link href="/assets" className="hover:underline">
          Assets
        </Link>{" "}
        / {asset.originalName}
      </p>
      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <div className="flex min-h-64 items-center justify-center overflow-hidden rounded-lg border border-slate-200 bg-slate-900">
          {asset.mediaType === "video" ? (
            <video
              src={asset.fileUrl}
              controls
              preload="metadata"
              className="max-h-[70vh] w-full"
              aria-label={asset.title ?? asset.originalName}
            />
          ) : (
            // eslint-disable-next-line @next/next/no-img-element -- the original file from our own API
            <img src={asset.fileUrl} alt={asset.title ?? asset.originalName} className="max-h-[70vh] object-contain" />
          )}
        </div>
        <aside className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
          <h1 className="text-lg font-semibold break-words">{asset.title ?? asset.originalName}</h1>
          <dl className="divide-y divide-slate-100" aria-label="Provenance">
            <Row label="Source">{asset.sourceName}</Row>
            <Row label="Page">
              <ExternalLink href={asset.pageUrl} />
            </Row>
            <Row label="Media URL">
              <ExternalLink href={asset.mediaUrl} />
            </Row>
            <Row label="Author">{asset.author}</Row>
            <Row label="License">
              {asset.licenseUrl ? <ExternalLink href={asset.licenseUrl} /> : null}
              {asset.license ? <span className="block">{asset.license}</span> : null}
            </Row>
            <Row label="Type">
              {asset.mime}
              {asset.width && asset.height ? ` · ${asset.width}×${asset.height}` : ""}
            </Row>
            <Row label="Size">{formatBytes(asset.bytes)}</Row>
            <Row label="SHA-256">
              <code className="text-xs">{asset.sha256}</code>
            </Row>
            <Row label="Job">
              {asset.jobId ? (
                <Link href={`/jobs/${asset.jobId}`} className="text-indigo-700 hover:underline">
                  {asset.jobId}
                </Link>
              ) : null}
            </Row>
            <Row label="Added">{formatTime(asset.createdAt)}</Row>
            {row.mediaType === "image" ? (
              <Row label="Perceptual hash">
                {row.perceptualHash ? (
                  <code className="text-xs">{row.perceptualHash}</code>
                ) : row.analysisError ? (
                  <span className="text-red-700">{row.analysisError}</span>
                ) : row.analysedAt ? null : (
                  <span className="text-slate-500">being computed (after the job’s downloads)</span>
                )}
              </Row>
            ) : (
              <Row label="Length">
                {row.durationMs !== null ? (
                  formatDuration(row.durationMs)
                ) : row.analysisError ? (
                  <span className="text-red-700">{row.analysisError}</span>
                ) : row.analysedAt ? null : (
                  <span className="text-slate-500">being read (after the job’s downloads)</span>
                )}
              </Row>
            )}
          </dl>
          <div className="flex items-center gap-3">
            <a
              href={`${asset.fileUrl}?download=1`}
              className="rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500"
            >
              Download
            </a>
            <DeleteAssetButton assetId={asset.id} />
          </div>
        </aside>
      </div>
      {similar.length ? (
        <section aria-labelledby="similar-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="similar-heading" className="text-lg font-semibold">
            Similar images
          </h2>
          <ul className="mt-2 flex flex-wrap gap-3" aria-label="Similar images">
            {similar.map((s) => (
              <li key={s.id} className="w-28 text-xs">
                <Link href={`/assets/${s.id}`} className="block overflow-hidden rounded-md bg-slate-100">
                  {s.thumbUrl ? (
                    // eslint-disable-next-line @next/next/no-img-element -- thumbnails come from our own API
                    <img src={s.thumbUrl} alt={s.title ?? s.originalName} className="h-28 w-28 object-cover" />
                  ) : null}
                </Link>
                <span className="text-slate-500">{s.distance} bits apart</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

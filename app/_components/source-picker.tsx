"use client";

import type { CatalogEntry } from "@/lib/sources/catalog-view";

export type SourceOption = Pick<CatalogEntry, "id" | "name" | "description" | "category" | "input" | "mediaTypes" | "key">;

/**
 * Sources grouped by category, each group collapsible with an "all" switch. A picked
 * source that lacks its key is flagged: the job will skip it.
 */
export function SourcePicker({
  sources,
  labels,
  picked,
  onChange,
}: {
  sources: SourceOption[];
  labels: Record<string, string>;
  picked: string[];
  onChange: (ids: string[]) => void;
}) {
  const categories = [...new Set(sources.map((s) => s.category))];
  const toggle = (id: string) => onChange(picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id]);
  const setCategory = (ids: string[], on: boolean) =>
    onChange(on ? [...new Set([...picked, ...ids])] : picked.filter((id) => !ids.includes(id)));
  const skipped = sources.filter((s) => picked.includes(s.id) && s.key && !s.key.configured);

  return (
    <div className="mt-1 space-y-1">
      {categories.map((category) => {
        const members = sources.filter((s) => s.category === category);
        const ids = members.map((s) => s.id);
        const count = ids.filter((id) => picked.includes(id)).length;
        return (
          <details
            key={category}
            className="rounded-md border border-slate-200"
            open={category === "generic" || category === "wikis" || count > 0}
          >
            <summary className="flex cursor-pointer items-center justify-between px-2 py-1 text-sm">
              <span className="font-medium">
                {labels[category] ?? category}{" "}
                <span className="text-slate-500">
                  ({count}/{members.length})
                </span>
              </span>
              <label className="flex items-center gap-1 text-xs text-slate-600" onClick={(event) => event.stopPropagation()}>
                <input
                  type="checkbox"
                  aria-label={`All ${labels[category] ?? category}`}
                  checked={count === members.length}
                  onChange={(event) => setCategory(ids, event.currentTarget.checked)}
                />
                all
              </label>
            </summary>
            <div className="flex flex-wrap gap-2 border-t border-slate-100 p-2">
              {members.map((s) => (
                <label
                  key={s.id}
                  className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-200 px-2 py-1 text-sm hover:bg-slate-50"
                  title={s.key && !s.key.configured ? `Needs ${s.key.variable}: ${s.key.help}` : s.description}
                >
                  <input type="checkbox" name="sources" value={s.id} checked={picked.includes(s.id)} onChange={() => toggle(s.id)} />
                  {s.name}
                  {s.key && !s.key.configured ? (
                    <span className="rounded bg-amber-100 px-1 text-[10px] font-semibold text-amber-800">key missing</span>
                  ) : null}
                </label>
              ))}
            </div>
          </details>
        );
      })}
      {skipped.length ? (
        <p className="text-sm text-amber-800" role="note">
          Will be skipped for a missing API key: {skipped.map((s) => `${s.name} (${s.key?.variable})`).join(", ")}.
        </p>
      ) : null}
    </div>
  );
}

"use client";

import Link from "next/link";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { useSWRConfig } from "swr";
import { createJobAction, type CreateJobState } from "@/app/actions";
import { ACTIVE_JOBS_KEY } from "./active-jobs";
import { RECENT_JOBS_KEY } from "./recent-jobs";
import { SourcePicker, type SourceOption } from "./source-picker";

function FieldError({ messages, id }: { messages?: string[]; id: string }) {
  if (!messages?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700" data-field-error>
      {messages.join(" ")}
    </p>
  );
}

const initial: CreateJobState = { status: "idle" };

export function SearchForm({ sources, categoryLabels }: { sources: SourceOption[]; categoryLabels: Record<string, string> }) {
  const { mutate } = useSWRConfig();
  const [state, formAction, pending] = useActionState(async (previous: CreateJobState, form: FormData) => {
    const next = await createJobAction(previous, form);
    if (next.status === "created") await Promise.all([mutate(ACTIVE_JOBS_KEY), mutate(RECENT_JOBS_KEY)]);
    return next;
  }, initial);
  const [picked, setPicked] = useState<string[]>(["wikimedia-commons"].filter((id) => sources.some((s) => s.id === id)));
  const fields = state.status === "invalid" ? state.fields : {};
  const needsUrls = sources.some((s) => s.input === "urls" && picked.includes(s.id));
  // Submitting through onSubmit keeps the form as the user left it (an `action` prop
  // would reset it), so a similar search is one edit away.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => formAction(form));
  };

  return (
    <form
      onSubmit={submit}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      aria-label="New search"
      noValidate
    >
      <h2 className="text-lg font-semibold">New search</h2>
      <div>
        <label htmlFor="query" className="block text-sm font-medium">
          Query
        </label>
        <input
          id="query"
          name="query"
          type="search"
          placeholder="aurora borealis"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
          aria-invalid={Boolean(fields.query)}
          aria-describedby="query-error"
        />
        <FieldError id="query-error" messages={fields.query} />
      </div>

      <fieldset>
        <legend className="text-sm font-medium">Sources</legend>
        <SourcePicker sources={sources} labels={categoryLabels} picked={picked} onChange={setPicked} />
        <FieldError id="sources-error" messages={fields.sources} />
      </fieldset>

      {needsUrls || fields.targetUrls ? (
        <div>
          <label htmlFor="targetUrls" className="block text-sm font-medium">
            Page or file URLs <span className="font-normal text-slate-500">(one per line)</span>
          </label>
          <textarea
            id="targetUrls"
            name="targetUrls"
            rows={3}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
            aria-invalid={Boolean(fields.targetUrls)}
            aria-describedby="targetUrls-error"
          />
          <FieldError id="targetUrls-error" messages={fields.targetUrls} />
        </div>
      ) : null}

      <div className="flex flex-wrap items-end gap-6">
        <fieldset>
          <legend className="text-sm font-medium">Type</legend>
          <div className="mt-1 flex gap-3 text-sm">
            {["images", "videos", "both"].map((value) => (
              <label key={value} className="flex items-center gap-1">
                <input type="radio" name="mediaTypes" value={value} defaultChecked={value === "both"} /> {value}
              </label>
            ))}
          </div>
          <FieldError id="mediaTypes-error" messages={fields.mediaTypes} />
        </fieldset>
        <div>
          <label htmlFor="maxItems" className="block text-sm font-medium">
            Max items per source
          </label>
          <input
            id="maxItems"
            name="maxItems"
            type="number"
            defaultValue={50}
            className="mt-1 w-28 rounded-md border border-slate-300 px-3 py-2"
            aria-invalid={Boolean(fields.maxItems)}
            aria-describedby="maxItems-error"
          />
          <FieldError id="maxItems-error" messages={fields.maxItems} />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="safeSearch" defaultChecked /> Safe search
        </label>
        <label className="flex items-center gap-2 text-sm" title="Otherwise media already in Assets from the same source is skipped">
          <input type="checkbox" name="redownload" /> Download again what I already have
        </label>
      </div>

      <div className="flex items-center gap-4">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60"
        >
          {pending ? "Starting…" : "Start download"}
        </button>
        {state.status === "created" ? (
          <p className={`text-sm ${state.dispatched ? "text-emerald-700" : "text-red-700"}`} role="status">
            {state.message} —{" "}
            <Link href={`/jobs/${state.jobId}`} className="underline">
              open the job
            </Link>
          </p>
        ) : null}
        {state.status === "error" ? (
          <p className="text-sm text-red-700" role="status">
            {state.message}
          </p>
        ) : null}
        <FieldError id="form-error" messages={fields.form} />
      </div>
    </form>
  );
}

"use client";

import { useState, useTransition } from "react";
import { setSourceKeyAction } from "@/app/actions";

/** An administrator's key field for one key-gated source; the stored key never comes back, only its last characters. */
export function SourceKeyForm({ sourceId, name, storedHint }: { sourceId: string; name: string; storedHint: string | null }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const save = (key: string | null) =>
    start(async () => {
      const result = await setSourceKeyAction(sourceId, key);
      setMessage(result.ok ? (key === null ? "cleared" : "saved") : result.message);
    });
  return (
    <form
      className="mt-1 flex flex-wrap items-center gap-1"
      aria-label={`API key for ${name}`}
      onSubmit={(event) => {
        event.preventDefault();
        const input = event.currentTarget.elements.namedItem("key") as HTMLInputElement;
        save(input.value);
        input.value = "";
      }}
    >
      <input
        name="key"
        type="password"
        autoComplete="off"
        placeholder={storedHint ? `stored ${storedHint}` : "paste key"}
        aria-label={`Key for ${name}`}
        className="w-32 rounded border border-slate-300 px-1.5 py-0.5"
      />
      <button type="submit" disabled={pending} className="rounded border border-slate-300 px-1.5 py-0.5">
        Save
      </button>
      {storedHint ? (
        <button type="button" disabled={pending} onClick={() => save(null)} className="rounded border border-slate-300 px-1.5 py-0.5">
          Clear
        </button>
      ) : null}
      {message ? <span role="status">{message}</span> : null}
    </form>
  );
}

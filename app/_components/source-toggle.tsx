"use client";

import { useState, useTransition } from "react";
import { setSourceEnabledAction } from "@/app/actions";

export function SourceToggle({ sourceId, name, enabled }: { sourceId: string; name: string; enabled: boolean }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <label className="flex items-center gap-1.5 text-xs">
      <input
        type="checkbox"
        checked={enabled}
        disabled={pending}
        aria-label={`Enable ${name}`}
        onChange={(event) => {
          const next = event.currentTarget.checked;
          start(async () => {
            const result = await setSourceEnabledAction(sourceId, next);
            setMessage(result.ok ? null : result.message);
          });
        }}
      />
      enabled
      {message ? <span className="text-red-700">{message}</span> : null}
    </label>
  );
}

"use client";

import { useState, useTransition } from "react";
import { deleteAssetAction } from "@/app/actions";

export function DeleteAssetButton({ assetId }: { assetId: string }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          start(async () => {
            if (!window.confirm("Delete this asset and its file?")) return;
            const result = await deleteAssetAction(assetId);
            if (result && !result.ok) setMessage(result.message);
          })
        }
        className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60"
      >
        Delete
      </button>
      {message ? <p className="mt-1 text-sm text-red-700">{message}</p> : null}
    </div>
  );
}

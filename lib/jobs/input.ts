import { z } from "zod";
import { isSourceId, sources } from "@/lib/sources/registry";
import { mediaFilters } from "./status";

const MAX_TARGET_URLS = 50;

const lines = (value: unknown) =>
  typeof value === "string"
    ? value
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean)
    : value;
const list = (value: unknown) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]);
const checkbox = (value: unknown) => (value === "on" || value === "true" ? true : value === "false" ? false : value);

const httpUrl = z.url({ protocol: /^https?$/, message: "Each URL must start with http:// or https://" }).max(2048);

/**
 * The one schema for a new job, shared by the search form's server action and
 * POST /api/jobs. Form values (strings, checkboxes) and JSON values both parse.
 */
export const createJobInput = z
  .object({
    query: z.string().trim().max(300, "Keep the query under 300 characters").default(""),
    sources: z.preprocess(
      list,
      z
        .array(z.string().refine(isSourceId, { message: "Unknown source" }))
        .min(1, "Pick at least one source")
        .max(sources.length),
    ),
    mediaTypes: z.enum(mediaFilters, { message: "Choose images, videos or both" }).default("both"),
    maxItems: z.coerce.number({ message: "Enter a number" }).int("Enter a whole number").min(1, "At least 1").max(5000, "At most 5000"),
    safeSearch: z.preprocess(checkbox, z.boolean()).default(false),
    redownload: z.preprocess(checkbox, z.boolean()).default(false),
    targetUrls: z.preprocess(lines, z.array(httpUrl).max(MAX_TARGET_URLS, `At most ${MAX_TARGET_URLS} URLs`)).default([]),
  })
  .superRefine((input, ctx) => {
    const picked = sources.filter((s) => (input.sources as string[]).includes(s.id));
    if (picked.some((s) => s.input === "query") && input.query.length === 0) {
      ctx.addIssue({ code: "custom", path: ["query"], message: "Enter what to search for" });
    }
    if (picked.some((s) => s.input === "urls") && input.targetUrls.length === 0) {
      const names = picked
        .filter((s) => s.input === "urls")
        .map((s) => s.name)
        .join(" and ");
      ctx.addIssue({ code: "custom", path: ["targetUrls"], message: `${names} need at least one URL` });
    }
  })
  .transform((input) => ({ ...input, sources: [...new Set(input.sources)] }));

export type CreateJobInput = z.output<typeof createJobInput>;

/** zod issues as { field: [messages] } for forms and the API's error shape. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

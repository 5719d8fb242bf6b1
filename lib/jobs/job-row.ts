import { z } from "zod";
import type { Job } from "@/lib/db/generated/client";
import { jobStatusSchema, mediaFilters } from "./status";

// Job rows keep their status, media filter and target URLs as text (portable across
// databases). They are parsed here, once, into the domain's types; a value the schema does
// not know is a damaged row and fails loudly with the job's id.

const jobRowFields = z.object({
  status: jobStatusSchema,
  mediaTypes: z.enum(mediaFilters),
  targetUrls: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `targetUrls is not JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
    })
    .pipe(z.array(z.string())),
});

type ParsedFields = z.output<typeof jobRowFields>;

export function parseJobRow<Row extends Pick<Job, "id" | "status" | "mediaTypes" | "targetUrls">>(
  row: Row,
): Omit<Row, keyof ParsedFields> & ParsedFields {
  const parsed = jobRowFields.safeParse(row);
  if (!parsed.success)
    throw new Error(`Job ${row.id} has a damaged row: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return { ...row, ...parsed.data };
}

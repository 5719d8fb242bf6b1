import type { SourceAdapter } from "@/lib/sources/types";

export const stockAndGenericSources: SourceAdapter[] = [];

import { defineConfig } from "prisma/config";
import { loadConfig } from "./lib/config";

// The CLI uses the same resolved database URL as the app (absolute SQLite path by default).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: loadConfig().databaseUrl },
});

import { defineConfig } from "prisma/config";
import { loadConfig } from "./lib/config";

// The CLI uses the same resolved database URL as the app (absolute SQLite path by default),
// and the schema and migrations of that URL's provider (scripts/db-schemas.mjs).
const { databaseUrl, schemaFile, migrationsDir } = loadConfig();
export default defineConfig({
  schema: schemaFile,
  migrations: { path: migrationsDir },
  datasource: { url: databaseUrl },
});

export {
  createTestDatabase,
  createTestSchema,
  findPostgresBin,
  startTestPostgres,
  startThrowawayPostgres,
  type TestDatabase,
  type TestPostgres,
  type TestSchema,
} from "./postgres.js";
export { type ProvidedPostgres, postgresGlobalSetup } from "./vitest-setup.js";

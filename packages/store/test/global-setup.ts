import { type ProvidedPostgres, postgresGlobalSetup } from "../src/testing/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: ProvidedPostgres;
  }
}

export default postgresGlobalSetup;

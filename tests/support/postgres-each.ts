import { preparePostgresDatabases } from "./test-engine.ts";

// why: the postgres project's setup file: every test gets migrated databases of its own.
preparePostgresDatabases();

import type { Engine } from "../core/ports.ts";

export type Row = Record<string, unknown>;

/** Positional (`?`) or named (`@name`) parameters; SQL text never holds `?` or `@` anywhere else. */
export type Params = readonly unknown[] | Readonly<Record<string, unknown>>;

/**
 * One connection's (or one transaction's) way to run SQL, the same for both engines: the text is
 * written once in the SQL both SQLite and PostgreSQL accept, and the engine's executor adapts the
 * placeholders. Integers come back as numbers on both.
 */
export interface Sql {
  readonly engine: Engine;
  get<R = Row>(text: string, params?: Params): Promise<R | undefined>;
  all<R = Row>(text: string, params?: Params): Promise<R[]>;
  /** Runs a write; resolves to the number of rows it changed. */
  run(text: string, params?: Params): Promise<number>;
}

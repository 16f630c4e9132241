import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.ts";
import { backupDatabase } from "../../../src/store/backup.ts";
import { runTool } from "../../../src/cli.ts";
import { openDatabase } from "../../../src/store/open.ts";
import { harness, type Harness } from "../../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = harness();
});
afterEach(() => h.close());

const status = async (n: number) => (await h.store.questions.get(1, n))?.status;

describe("reopen never drops 'partly answered' silently", () => {
  it("reopening a partly answered question makes it open and says it is no longer marked partly answered", async () => {
    await h.ok("ask Who may attend?");
    await h.ok("answer Q1 Observers only partial:yes");
    const reply = await h.ok("reopen Q1 That was last year's rule");
    expect(await status(1)).toBe("open");
    expect(reply.heading).toBe("Q1 is open again, no longer marked partly answered (its answers stay in /docket show Q1)");
  });

  it("reopening an answered question that also had a partial answer goes back to partly answered, and says so", async () => {
    await h.ok("ask Who may attend?");
    await h.ok("answer Q1 Observers only partial:yes");
    await h.ok("answer Q1 Observers and members");
    const reply = await h.ok("reopen Q1 The full answer was wrong");
    expect(await status(1)).toBe("partial");
    expect(reply.heading).toBe("Q1 is open again, partly answered: its partial answers still stand");
  });

  it("reopening an answered question with only full answers makes it open", async () => {
    await h.ok("ask Fees?");
    await h.ok("answer Q1 CHF 10,600");
    expect((await h.ok("reopen Q1")).heading).toBe("Q1 is open again");
    expect(await status(1)).toBe("open");
  });
});

describe("backup", () => {
  it("into a directory that does not exist yet creates it and writes a backup that opens", async () => {
    await h.ok("ask Fees?");
    const target = join(h.dir, "backups", "x.sqlite");
    const result = await backupDatabase(h.path, target);
    expect(result.createdDirectory).toBe(join(h.dir, "backups"));
    const copy = openDatabase(target, { readonly: true });
    try {
      expect(copy.prepare("SELECT text FROM questions").all()).toEqual([{ text: "Fees?" }]);
    } finally {
      copy.close();
    }
  });

  it("onto the live database file, or its WAL, is refused with a one-line ToolError and writes nothing", async () => {
    await h.ok("ask Fees?");
    await expect(backupDatabase(h.path, h.path)).rejects.toMatchObject({ name: "ToolError", message: expect.stringContaining("is the live database itself") });
    await expect(backupDatabase(h.path, join(h.dir, ".", "docket.sqlite-wal"))).rejects.toMatchObject({ name: "ToolError" });
    expect((await h.store.questions.get(1, 1))?.text).toBe("Fees?");
  });

  it("onto a directory is refused, naming a file to write instead", async () => {
    mkdirSync(join(h.dir, "out"));
    await expect(backupDatabase(h.path, join(h.dir, "out"))).rejects.toMatchObject({ name: "ToolError", message: expect.stringContaining("is a directory; name a file in it") });
  });

  it("of a database that does not exist is refused and creates nothing", async () => {
    const missing = join(h.dir, "typo", "docket.sqlite");
    await expect(backupDatabase(missing, join(h.dir, "b", "copy.sqlite"))).rejects.toMatchObject({ name: "ToolError", message: expect.stringContaining(missing) });
    expect(existsSync(join(h.dir, "b"))).toBe(false);
    expect(existsSync(join(h.dir, "typo"))).toBe(false);
  });

  it("docket backup ./backups/x.sqlite, as the hint writes it, works where ./backups does not exist yet", async () => {
    await h.ok("ask Fees?");
    const config: Config = { db: h.path, timeZone: "UTC", commandName: "docket", port: 0, logLevel: "error" };
    const printed: string[] = [];
    const target = join(h.dir, "backups", "x.sqlite");
    expect(await runTool("backup", [target], config, (t) => printed.push(t))).toBe(0);
    expect(printed.join("")).toBe(`Created ${join(h.dir, "backups")}. Backed up ${h.path} to ${target}\n`);
    await expect(runTool("backup", [h.path], config, () => {})).rejects.toMatchObject({ name: "ToolError" });
  });
});

/** The shape the code keeps: adapters meet the core through its one face, and the core knows no platform. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const files = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
const imports = (file: string) => [...readFileSync(join(root, file), "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);

describe("the one face of the core", () => {
  it("is the only core module an adapter imports", () => {
    const reaching = files("adapters").flatMap((file) =>
      imports(file)
        .filter((i) => i.includes("src/core/") && !i.endsWith("src/core/api.ts"))
        .map((i) => `${relative(root, join(root, file))} imports ${i}`),
    );
    expect(reaching).toEqual([]);
  });

  it("the core imports no adapter, platform library, scheduler or SQL driver", () => {
    const forbidden = /adapters\/|@slack\/|discord\.js|@discordjs\/|node-cron|better-sqlite3|^pg$/;
    const found = files("src/core").flatMap((file) => imports(file).filter((i) => forbidden.test(i)).map((i) => `${file} imports ${i}`));
    expect(found).toEqual([]);
  });

  it("the core parses no platform's mention syntax", () => {
    const syntax = /<@|<!subteam|<#C|subteam\^/;
    const found = files("src/core").filter((file) => syntax.test(readFileSync(join(root, file), "utf8")));
    expect(found).toEqual([]);
  });

  it("no adapter writes out a form's fields: their labels and limits come from the vocabulary", () => {
    const labels = /"(Asked of|Needed by|Log an answer|Ask a question|Partial answer\??)"/;
    const found = files("adapters").filter((file) => labels.test(readFileSync(join(root, file), "utf8")));
    expect(found).toEqual([]);
  });
});

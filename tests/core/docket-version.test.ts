import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Repos } from "../../src/core/ports.ts";
import { harness, type Harness } from "../support/harness.ts";

// The docket's version is what lets a replica keep deadlines and admins in memory: every write to
// them raises it in its own transaction, whoever calls the repository (a command, a link or merge).

const at = "2026-11-29T10:00:00.000Z";
const member = { kind: "member" as const, platform: "slack" as const, id: "U2", label: "@bob" };

let h: Harness;
let docketId: number;
beforeEach(async () => {
  h = harness();
  docketId = await h.store.transaction(async (tx) => {
    const docket = await tx.dockets.create({ name: "Coalition", timeZone: "Europe/London", createdAt: at });
    await tx.workspaces.bind({ platform: "slack", externalId: "T1", name: "Coalition", docketId: docket.id }, at);
    return docket.id;
  });
});
afterEach(() => h.close());

const version = async () => (await h.store.workspaces.docket("slack", "T1"))!.version;
/** The version after `write` ran in a transaction, less the version before it. */
async function raisedBy(write: (tx: Repos) => Promise<unknown>): Promise<number> {
  const before = await version();
  await h.store.transaction(write);
  return (await version()) - before;
}

describe("a docket's version", () => {
  it("is read with the docket a workspace is bound to, in one read", async () => {
    expect(await h.store.workspaces.docket("slack", "T1")).toEqual({ docket: { id: docketId, name: "Coalition", timeZone: "Europe/London", createdAt: at }, version: expect.any(Number) });
    expect(await h.store.workspaces.docket("slack", "T2")).toBeUndefined();
  });

  it("rises with every write to its deadlines", async () => {
    const deadline = { docketId, title: "WCIT-12", date: "2026-12-03", time: null, timeZone: "Europe/London", place: null, createdAt: at };
    expect(await raisedBy((tx) => tx.deadlines.insert(deadline))).toBe(1);
    expect(await raisedBy((tx) => tx.deadlines.update(docketId, 1, { title: "WCIT-12 opens" }))).toBe(1);
    expect(await raisedBy((tx) => tx.deadlines.setMilestones(docketId, 1, { days: [7], ping: null }))).toBe(1);
    expect(await raisedBy((tx) => tx.deadlines.remove(docketId, 1, at))).toBe(1);
  });

  it("rises with every change to its admins, and not for removing one who is not there", async () => {
    expect(await raisedBy((tx) => tx.admins.add(docketId, member, "alice", at))).toBe(1);
    expect(await raisedBy((tx) => tx.admins.remove(docketId, member))).toBe(1);
    expect(await raisedBy((tx) => tx.admins.remove(docketId, member))).toBe(0);
  });

  it("rises with a new name and with each workspace bound to it", async () => {
    expect(await raisedBy((tx) => tx.dockets.rename(docketId, "WCIT coalition"))).toBe(1);
    expect(await raisedBy((tx) => tx.workspaces.bind({ platform: "discord", externalId: "G1", name: "Guild", docketId }, at))).toBe(1);
  });

  it("stays for writes that replicas do not keep (questions, members)", async () => {
    expect(
      await raisedBy(async (tx) => {
        const m = await tx.members.upsert({ docketId, platform: "slack", userId: "U1", displayName: "Alice" }, at);
        await tx.questions.insert({ docketId, text: "Who pays?", addressee: null, tags: [], neededBy: null, askedBy: m.id, askedAt: at });
      }),
    ).toBe(0);
  });
});

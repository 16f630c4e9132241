import type { webApi } from "@slack/bolt";
import type { Logger } from "../../src/core/api.ts";
import type { MemberInfo } from "./to-invocation.ts";
import { errorText } from "./slack-errors.ts";

export interface MemberDirectory {
  /**
   * Who this user is in their workspace (display name; admin or owner), from users.info, cached for
   * a few minutes. Resolves undefined when Slack does not answer within the time a command can wait:
   * the command then runs with the name Slack sent and without workspace-admin rights.
   */
  lookup(client: webApi.WebClient, teamId: string, userId: string): Promise<MemberInfo | undefined>;
  /** Forgets a workspace (uninstalled). */
  forget(teamId: string): void;
}

export function createMemberDirectory(o: { log: Logger; ttlMs?: number; timeoutMs?: number; now?: () => number }): MemberDirectory {
  const ttl = o.ttlMs ?? 5 * 60_000;
  const timeout = o.timeoutMs ?? 1500;
  const now = o.now ?? Date.now;
  const cache = new Map<string, { info: MemberInfo; until: number }>();

  return {
    async lookup(client, teamId, userId) {
      const key = `${teamId}:${userId}`;
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.info;
      let timer: NodeJS.Timeout | undefined;
      try {
        // why: a command must be acknowledged within 3 s; a slow users.info must not make it miss that.
        const answer = await Promise.race<webApi.UsersInfoResponse | undefined>([
          client.users.info({ user: userId }),
          new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeout))),
        ]);
        if (!answer?.user) {
          o.log.warn("users.info did not answer in time; running the command without workspace-admin rights", { team: teamId, user: userId });
          return undefined;
        }
        const u = answer.user;
        const displayName = u.profile?.display_name || u.profile?.real_name || u.real_name || u.name;
        const info: MemberInfo = { isAdmin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner), ...(displayName ? { displayName } : {}) };
        if (cache.size > 10_000) cache.clear();
        cache.set(key, { info, until: now() + ttl });
        return info;
      } catch (error) {
        o.log.warn("users.info failed; running the command without workspace-admin rights", { team: teamId, user: userId, error: errorText(error) });
        return undefined;
      } finally {
        clearTimeout(timer);
      }
    },
    forget(teamId) {
      for (const key of cache.keys()) if (key.startsWith(`${teamId}:`)) cache.delete(key);
    },
  };
}

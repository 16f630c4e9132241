/**
 * Discord's JSON error bodies (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json).
 */

export const ErrorCode = {
  General: 0,
  UnknownApplication: 10002,
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  UnknownMember: 10007,
  UnknownMessage: 10008,
  UnknownUser: 10013,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  UnknownApplicationCommand: 10063,
  InteractionAlreadyAcknowledged: 40060,
  MissingAccess: 50001,
  CannotEditOtherUsersMessage: 50005,
  CannotSendEmptyMessage: 50006,
  CannotSendInNonTextChannel: 50008,
  MissingPermissions: 50013,
  InvalidWebhookToken: 50027,
  InvalidFormBody: 50035,
  InvalidJson: 50109,
} as const;

export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: FormErrorTree;
  retry_after?: number;
  global?: boolean;
}

export interface FormErrorLeaf {
  code: string;
  message: string;
}

export interface FormErrorTree {
  _errors?: FormErrorLeaf[];
  [key: string]: FormErrorTree | FormErrorLeaf[] | undefined;
}

/** Thrown inside route handlers; turned into an HTTP error response. */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: DiscordErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${body.message} (${body.code})`);
    this.name = 'DiscordHttpError';
  }
}

export function apiError(status: number, code: number, message: string): DiscordHttpError {
  return new DiscordHttpError(status, { message, code });
}

export const errors = {
  unauthorized: () => apiError(401, ErrorCode.General, '401: Unauthorized'),
  missingAccess: () => apiError(403, ErrorCode.MissingAccess, 'Missing Access'),
  missingPermissions: () => apiError(403, ErrorCode.MissingPermissions, 'Missing Permissions'),
  unknownChannel: () => apiError(404, ErrorCode.UnknownChannel, 'Unknown Channel'),
  unknownGuild: () => apiError(404, ErrorCode.UnknownGuild, 'Unknown Guild'),
  unknownMember: () => apiError(404, ErrorCode.UnknownMember, 'Unknown Member'),
  unknownMessage: () => apiError(404, ErrorCode.UnknownMessage, 'Unknown Message'),
  unknownUser: () => apiError(404, ErrorCode.UnknownUser, 'Unknown User'),
  unknownWebhook: () => apiError(404, ErrorCode.UnknownWebhook, 'Unknown Webhook'),
  unknownInteraction: () => apiError(404, ErrorCode.UnknownInteraction, 'Unknown interaction'),
  unknownCommand: () => apiError(404, ErrorCode.UnknownApplicationCommand, 'Unknown application command'),
  alreadyAcknowledged: () =>
    apiError(400, ErrorCode.InteractionAlreadyAcknowledged, 'Interaction has already been acknowledged.'),
  emptyMessage: () => apiError(400, ErrorCode.CannotSendEmptyMessage, 'Cannot send an empty message'),
  nonTextChannel: () =>
    apiError(400, ErrorCode.CannotSendInNonTextChannel, 'Cannot send messages in a non-text channel'),
  cannotEditOthers: () =>
    apiError(403, ErrorCode.CannotEditOtherUsersMessage, 'Cannot edit a message authored by another user'),
  invalidWebhookToken: () => apiError(401, ErrorCode.InvalidWebhookToken, 'Invalid Webhook Token'),
  invalidJson: () => apiError(400, ErrorCode.InvalidJson, 'The request body contains invalid JSON.'),
  notFound: () => apiError(404, ErrorCode.General, '404: Not Found'),
  methodNotAllowed: () => apiError(405, ErrorCode.General, '405: Method Not Allowed'),
};

/** The default body for a scripted failure of `status` on `path` (path without the /api/v10 prefix). */
export function defaultErrorBody(status: number, path: string): DiscordErrorBody {
  switch (status) {
    case 400:
      return { message: 'Invalid Form Body', code: ErrorCode.InvalidFormBody };
    case 401:
      return { message: '401: Unauthorized', code: ErrorCode.General };
    case 403:
      return { message: 'Missing Access', code: ErrorCode.MissingAccess };
    case 404:
      return notFoundFor(path);
    case 429:
      return { message: 'You are being rate limited.', code: ErrorCode.General };
    case 500:
      return { message: '500: Internal Server Error', code: ErrorCode.General };
    case 502:
      return { message: '502: Bad Gateway', code: ErrorCode.General };
    case 503:
      return { message: '503: Service Unavailable', code: ErrorCode.General };
    default:
      return { message: `${status}: Error`, code: ErrorCode.General };
  }
}

function notFoundFor(path: string): DiscordErrorBody {
  const body = (e: DiscordHttpError): DiscordErrorBody => e.body;
  if (/^\/interactions\//.test(path)) return body(errors.unknownInteraction());
  if (/^\/webhooks\/[^/]+\/[^/]+\/messages\//.test(path)) return body(errors.unknownMessage());
  if (/^\/webhooks\//.test(path)) return body(errors.unknownWebhook());
  if (/^\/channels\/[^/]+\/messages\/[^/]+/.test(path)) return body(errors.unknownMessage());
  if (/^\/channels\//.test(path)) return body(errors.unknownChannel());
  if (/^\/guilds\/[^/]+\/members\//.test(path)) return body(errors.unknownMember());
  if (/^\/guilds\//.test(path)) return body(errors.unknownGuild());
  if (/^\/applications\/[^/]+\/(guilds\/[^/]+\/)?commands\/[^/]+/.test(path)) return body(errors.unknownCommand());
  if (/^\/users\/(?!@me)/.test(path)) return body(errors.unknownUser());
  return body(errors.notFound());
}

/** Collects "Invalid Form Body" (50035) errors in Discord's nested `errors` shape. */
export class FormErrors {
  private readonly tree: FormErrorTree = {};
  private count = 0;

  add(path: ReadonlyArray<string | number>, code: string, message: string): void {
    let node: FormErrorTree = this.tree;
    for (const key of path) {
      const k = String(key);
      const next = node[k];
      if (next === undefined || Array.isArray(next)) {
        const created: FormErrorTree = {};
        node[k] = created;
        node = created;
      } else {
        node = next;
      }
    }
    (node._errors ??= []).push({ code, message });
    this.count += 1;
  }

  get size(): number {
    return this.count;
  }

  throwIfAny(): void {
    if (this.count > 0) {
      throw new DiscordHttpError(400, { message: 'Invalid Form Body', code: ErrorCode.InvalidFormBody, errors: this.tree });
    }
  }
}

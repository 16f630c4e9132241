/**
 * The one face of the core. Adapters import from this module only (tests/architecture.test.ts
 * holds them to it): events go in through `Core.handle`, outcomes come back, and the chat port is
 * how the core reaches a platform on its own (digests, admin notices).
 */
export type { Core, CommandInfo, OptionInfo, Choice, Logger } from "./core.ts";
export type { Invocation } from "./context.ts";
export type { ActorRole, ButtonPress, CoreEvent, FieldInput, Form, FormField, Mention, OptionInput, Outcome, TypedText } from "./events.ts";
export type { Field, ListItem, Reply, ReplyBlock, ReplyFile, Visibility } from "./reply.ts";
export { keepRendered, replyToText } from "./reply.ts";
export { ChatError, type ChatPort, type MessagePart, type PartKey, type SentMessage } from "./chat.ts";
export type { Clock } from "./clock.ts";
export type { PlatformStateStore } from "./ports.ts";
export type { ChannelRef, Ping, Platform } from "./types.ts";
export type { OptionKind, Permission } from "./vocabulary.ts";

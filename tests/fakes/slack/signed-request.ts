/**
 * Build and send requests the way Slack's servers send them to an app's Request URL:
 * `application/x-www-form-urlencoded` bodies (slash commands as fields, interactions as `payload=<json>`),
 * signed with `x-slack-signature: v0=HMAC-SHA256(secret, "v0:{ts}:{raw body}")` and
 * `x-slack-request-timestamp: {ts}` (Unix seconds).
 *
 * Note: Bolt's HTTPReceiver only treats the body as form data when the content-type is exactly
 * `application/x-www-form-urlencoded` (no charset suffix), so these helpers send a string body with
 * that header instead of a URLSearchParams body (which fetch labels `…;charset=UTF-8`).
 */
import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

export function signSlackBody(secret: string, body: string, timestampSeconds: number = Math.floor(Date.now() / 1000)): SlackSignatureHeaders {
  const ts = String(Math.floor(timestampSeconds));
  const hex = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${hex}`, 'x-slack-request-timestamp': ts };
}

export interface SignedPostOptions {
  /** Unix seconds for x-slack-request-timestamp (default now). */
  timestamp?: number;
  /** Sign with a wrong secret so the signature does not match. */
  badSignature?: boolean;
  /** Extra headers (e.g. x-slack-retry-num). */
  headers?: Record<string, string>;
}

export interface SignedPostResult {
  status: number;
  /** Raw response text ('' for Bolt's no-body 401). */
  body: string;
  /** Parsed JSON when the body is JSON, else undefined. */
  json: unknown;
  headers: Record<string, string>;
}

export async function postSigned(url: string, secret: string, body: string, opts: SignedPostOptions = {}): Promise<SignedPostResult> {
  const signed = signSlackBody(opts.badSignature === true ? `${secret}-wrong` : secret, body, opts.timestamp);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signed,
      ...opts.headers,
    },
    body,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json, headers: Object.fromEntries(res.headers.entries()) };
}

// ---------------------------------------------------------------------------------------------
// Slash commands
// ---------------------------------------------------------------------------------------------

export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  enterprise_id?: string;
  enterprise_name?: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: 'true' | 'false';
  response_url: string;
  trigger_id: string;
}

let triggerCounter = 0;
function triggerId(): string {
  triggerCounter += 1;
  return `${1700000000 + triggerCounter}.1234567890.${'abcdef0123456789'.repeat(2)}`;
}

/** A slash command body with every documented field, in the order Slack sends them. */
export function buildSlashCommand(fields: Partial<SlashCommandFields> = {}): SlashCommandFields {
  const base: SlashCommandFields = {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO', // legacy verification token (deprecated, still sent)
    team_id: 'T0DOCKET1',
    team_domain: 'docket-test',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command: '/docket',
    text: '',
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0DOCKET1/1234567890/abcdefghijklmnop',
    trigger_id: triggerId(),
  };
  const merged: SlashCommandFields = { ...base, ...fields };
  // Slack's field order; enterprise fields only when given.
  const ordered: SlashCommandFields = {
    token: merged.token,
    team_id: merged.team_id,
    team_domain: merged.team_domain,
    ...(merged.enterprise_id !== undefined ? { enterprise_id: merged.enterprise_id } : {}),
    ...(merged.enterprise_name !== undefined ? { enterprise_name: merged.enterprise_name } : {}),
    channel_id: merged.channel_id,
    channel_name: merged.channel_name,
    user_id: merged.user_id,
    user_name: merged.user_name,
    command: merged.command,
    text: merged.text,
    api_app_id: merged.api_app_id,
    is_enterprise_install: merged.is_enterprise_install,
    response_url: merged.response_url,
    trigger_id: merged.trigger_id,
  };
  return ordered;
}

export function encodeForm(fields: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) p.append(k, v);
  return p.toString();
}

export function postSlashCommand(
  url: string,
  secret: string,
  fields: Partial<SlashCommandFields> = {},
  opts: SignedPostOptions = {},
): Promise<SignedPostResult> {
  return postSigned(url, secret, encodeForm({ ...buildSlashCommand(fields) }), opts);
}

// ---------------------------------------------------------------------------------------------
// Interactivity (block_actions, view_submission)
// ---------------------------------------------------------------------------------------------

export interface PayloadUser {
  id: string;
  username: string;
  name: string;
  team_id: string;
}

export interface PayloadTeam {
  id: string;
  domain: string;
}

export interface ButtonAction {
  type: 'button';
  action_id: string;
  block_id: string;
  value: string;
  text: { type: 'plain_text'; text: string; emoji: boolean };
  action_ts: string;
}

export interface BlockActionsPayload {
  type: 'block_actions';
  user: PayloadUser;
  api_app_id: string;
  token: string;
  container: Record<string, unknown>;
  trigger_id: string;
  team: PayloadTeam;
  enterprise: { id: string; name: string } | null;
  is_enterprise_install: boolean;
  channel?: { id: string; name: string };
  message?: Record<string, unknown>;
  view?: Record<string, unknown>;
  state: { values: StateValues };
  response_url?: string;
  actions: ButtonAction[];
}

/** One input's state, as in `view.state.values[block_id][action_id]`. */
export type StateValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'datepicker'; selected_date: string | null }
  | { type: 'timepicker'; selected_time: string | null }
  | { type: 'static_select' | 'external_select'; selected_option: { text: { type: 'plain_text'; text: string; emoji: boolean }; value: string } | null }
  | { type: 'users_select'; selected_user: string | null }
  | { type: 'conversations_select'; selected_conversation: string | null }
  | { type: 'channels_select'; selected_channel: string | null }
  | { type: 'number_input'; value: string | null }
  | { type: 'checkboxes'; selected_options: { text: { type: 'plain_text'; text: string; emoji?: boolean }; value: string }[] };

export type StateValues = Record<string, Record<string, StateValue>>;

export interface ViewSubmissionPayload {
  type: 'view_submission';
  team: PayloadTeam;
  user: PayloadUser;
  api_app_id: string;
  token: string;
  trigger_id: string;
  view: {
    id: string;
    team_id: string;
    type: 'modal';
    blocks: unknown[];
    private_metadata: string;
    callback_id: string;
    state: { values: StateValues };
    hash: string;
    title: { type: 'plain_text'; text: string; emoji: boolean };
    clear_on_close: boolean;
    notify_on_close: boolean;
    close: { type: 'plain_text'; text: string; emoji: boolean } | null;
    submit: { type: 'plain_text'; text: string; emoji: boolean } | null;
    previous_view_id: string | null;
    root_view_id: string;
    app_id: string;
    external_id: string;
    app_installed_team_id: string;
    bot_id: string;
  };
  response_urls: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
  is_enterprise_install: boolean;
  enterprise: { id: string; name: string } | null;
}

const defaultUser: PayloadUser = { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0DOCKET1' };
const defaultTeam: PayloadTeam = { id: 'T0DOCKET1', domain: 'docket-test' };

export interface BlockActionsInput {
  action_id: string;
  block_id?: string;
  value?: string;
  buttonText?: string;
  user?: Partial<PayloadUser>;
  team?: Partial<PayloadTeam>;
  channel?: { id: string; name: string };
  /** ts of the message holding the button (message container). */
  message_ts?: string;
  response_url?: string;
  trigger_id?: string;
  api_app_id?: string;
  state?: StateValues;
}

export function buildBlockActionsPayload(input: BlockActionsInput): BlockActionsPayload {
  const channel = input.channel ?? { id: 'C0GENERAL', name: 'general' };
  const messageTs = input.message_ts ?? '1700000000.000100';
  const blockId = input.block_id ?? 'actions';
  const value = input.value ?? '';
  return {
    type: 'block_actions',
    user: { ...defaultUser, ...input.user },
    api_app_id: input.api_app_id ?? 'A1',
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    container: { type: 'message', message_ts: messageTs, channel_id: channel.id, is_ephemeral: false },
    trigger_id: input.trigger_id ?? triggerId(),
    team: { ...defaultTeam, ...input.team },
    enterprise: null,
    is_enterprise_install: false,
    channel,
    message: {
      type: 'message',
      subtype: 'bot_message',
      text: 'message with a button',
      ts: messageTs,
      bot_id: 'B0DOCKETBOT',
      blocks: [
        {
          type: 'actions',
          block_id: blockId,
          elements: [{ type: 'button', action_id: input.action_id, text: { type: 'plain_text', text: input.buttonText ?? 'Go', emoji: true }, value }],
        },
      ],
    },
    state: { values: input.state ?? {} },
    response_url: input.response_url ?? 'https://hooks.slack.com/actions/T0DOCKET1/1234567890/abcdefghijklmnop',
    actions: [
      {
        type: 'button',
        action_id: input.action_id,
        block_id: blockId,
        value,
        text: { type: 'plain_text', text: input.buttonText ?? 'Go', emoji: true },
        action_ts: `${Math.floor(Date.now() / 1000)}.123456`,
      },
    ],
  };
}

export interface ViewSubmissionInput {
  callback_id: string;
  values?: StateValues;
  private_metadata?: string;
  view_id?: string;
  hash?: string;
  user?: Partial<PayloadUser>;
  team?: Partial<PayloadTeam>;
  trigger_id?: string;
  api_app_id?: string;
  blocks?: unknown[];
  title?: string;
  response_urls?: ViewSubmissionPayload['response_urls'];
}

export function buildViewSubmissionPayload(input: ViewSubmissionInput): ViewSubmissionPayload {
  const viewId = input.view_id ?? 'V0DOCKETVIEW';
  const team = { ...defaultTeam, ...input.team };
  return {
    type: 'view_submission',
    team,
    user: { ...defaultUser, ...input.user },
    api_app_id: input.api_app_id ?? 'A1',
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    trigger_id: input.trigger_id ?? triggerId(),
    view: {
      id: viewId,
      team_id: team.id,
      type: 'modal',
      blocks: input.blocks ?? [],
      private_metadata: input.private_metadata ?? '',
      callback_id: input.callback_id,
      state: { values: input.values ?? {} },
      hash: input.hash ?? '1700000000.abcdef12',
      title: { type: 'plain_text', text: input.title ?? 'Docket', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: input.api_app_id ?? 'A1',
      external_id: '',
      app_installed_team_id: team.id,
      bot_id: 'B0DOCKETBOT',
    },
    response_urls: input.response_urls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Sends `payload=<json>` form-encoded, signed, as Slack does for block_actions / view_submission / shortcuts. */
export function postInteraction(url: string, secret: string, payload: object, opts: SignedPostOptions = {}): Promise<SignedPostResult> {
  return postSigned(url, secret, encodeForm({ payload: JSON.stringify(payload) }), opts);
}

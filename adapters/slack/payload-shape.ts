/**
 * What a signed request to /slack/events must look like before Bolt and Docket's listeners read it:
 * the fields they read, of the types they read them as. A signature proves who sent the bytes, not
 * that they are well formed; a payload that fails here is answered 400 and never dispatched.
 */

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string";
const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const optional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || v === null || check(v);

/** The workspace a payload names: its team, or for org-wide installs its enterprise. */
function namesWorkspace(body: Obj): boolean {
  const team = body["team"];
  const enterprise = body["enterprise"];
  const user = body["user"];
  return (
    nonEmpty(body["team_id"]) || nonEmpty(body["enterprise_id"]) ||
    (isObject(team) && nonEmpty(team["id"])) || (isObject(enterprise) && nonEmpty(enterprise["id"])) ||
    (isObject(user) && nonEmpty(user["team_id"]))
  );
}

function slashCommandProblem(body: Obj): string | undefined {
  for (const field of ["command", "user_id", "channel_id"]) if (!nonEmpty(body[field])) return `slash command without ${field}`;
  // why: Slack always sends `text`, empty when nothing was typed; the listener reads it as a string.
  if (!isText(body["text"])) return "slash command without text";
  if (!optional(body["response_url"], isText) || !optional(body["trigger_id"], isText)) return "slash command urls are not strings";
  // why: without a team every such request would share one docket, the one of workspace "".
  if (!nonEmpty(body["team_id"]) && !nonEmpty(body["enterprise_id"])) return "slash command without team_id or enterprise_id";
  return undefined;
}

/** One input's state as modals.ts reads it: `{ type, value | selected_date | selected_option | selected_options }`. */
function stateValueProblem(v: unknown): string | undefined {
  if (!isObject(v) || !isText(v["type"])) return "a state value without a type";
  if (!optional(v["value"], isText) || !optional(v["selected_date"], isText)) return "a state value that is not text";
  const option = v["selected_option"];
  if (!optional(option, (o) => isObject(o) && isText(o["value"]))) return "a selected option without a value";
  const options = v["selected_options"];
  if (!optional(options, (o) => Array.isArray(o) && o.every((x) => isObject(x) && isText(x["value"])))) return "selected options that are not a list of options";
  if (v["type"] === "checkboxes" && !Array.isArray(options)) return "checkboxes without selected options";
  return undefined;
}

function viewProblem(view: unknown): string | undefined {
  if (!isObject(view)) return "view_submission without a view";
  if (!isText(view["callback_id"]) || !isText(view["private_metadata"])) return "view without callback_id or private_metadata";
  if (!Array.isArray(view["blocks"]) || !view["blocks"].every(isObject)) return "view blocks are not a list";
  const state = view["state"];
  if (!isObject(state) || !isObject(state["values"])) return "view without state values";
  for (const actions of Object.values(state["values"])) {
    if (!isObject(actions)) return "view state block that is not an object";
    for (const value of Object.values(actions)) {
      const problem = stateValueProblem(value);
      if (problem) return problem;
    }
  }
  return undefined;
}

function interactionProblem(body: Obj, type: string): string | undefined {
  const user = body["user"];
  if (!isObject(user) || !nonEmpty(user["id"])) return `${type} without a user`;
  if (!namesWorkspace(body)) return `${type} without a team`;
  if (!optional(body["response_url"], isText) || !optional(body["trigger_id"], isText)) return `${type} urls are not strings`;
  if (type === "view_submission" || type === "view_closed") return viewProblem(body["view"]);
  if (type === "block_actions") {
    if (!Array.isArray(body["actions"]) || !body["actions"].every((a) => isObject(a) && isText(a["action_id"]))) return "block_actions without actions";
    if (!isObject(body["container"])) return "block_actions without a container";
  }
  return undefined;
}

/** Why a parsed body from /slack/events cannot be dispatched, or undefined when it can. */
export function payloadProblem(body: unknown): string | undefined {
  if (!isObject(body)) return "the body is not an object";
  const type = body["type"];
  if (type === undefined && "command" in body) return slashCommandProblem(body);
  if (type === "url_verification") return nonEmpty(body["challenge"]) ? undefined : "url_verification without a challenge";
  if (type === "event_callback") {
    if (!isObject(body["event"]) || !isText(body["event"]["type"])) return "event_callback without an event";
    return namesWorkspace(body) ? undefined : "event_callback without a team";
  }
  // why: Slack tells the app it is being rate-limited with a body that names the app, not a user.
  if (type === "app_rate_limited") return undefined;
  if (!isText(type)) return "a payload without a type";
  return interactionProblem(body, type);
}

import { UserError } from "../errors.ts";
import { staticReply, type Reply } from "../reply.ts";
import { closest } from "../parse/suggest.ts";
import { defineCommand, opt, optional, usageOf, type Command } from "../vocabulary.ts";

const permissionText = { anyone: "Anyone in the workspace", admin: "Admins only", asker: "The question's asker, or an admin" } as const;

/** `help` needs the whole vocabulary, which includes itself, so the registry hands it over. */
export function helpCommand(all: () => readonly Command[]): Command {
  // why: help is the same for a root command name and the command asked about; built (and frozen) once, adapters keep their rendering of it too.
  const built = new Map<string, Reply>();
  const once = (key: string, build: () => Reply): Reply => {
    let reply = built.get(key);
    if (!reply) {
      reply = staticReply(build());
      built.set(key, reply);
    }
    return reply;
  };
  return defineCommand({
    name: "help",
    summary: "List the commands, or explain one",
    options: [optional(opt.text("command", { description: "A command, like ask or deadline add", max: 40, placeholder: "command" }))],
    examples: ["help", "help ask", "help deadline add"],
    permission: "anyone",
    mutates: false,
    docketFree: true,
    async run(input, ctx) {
      const root = `/${ctx.settings.commandName}`;
      const commands = all();
      if (input.command === undefined)
        return once(`${root}\u0000`, () => ({
          visibility: "ephemeral",
          heading: `${root}: the coalition's open questions, answers and deadlines`,
          blocks: [
            { kind: "list", items: commands.map((c) => ({ text: `${root} ${usageOf(c)}`, detail: `${c.summary}. e.g. ${root} ${c.examples[0] ?? c.name}` })) },
            { kind: "text", text: `${root} help <command> explains one command.` },
          ],
        }));
      const wanted = input.command.toLowerCase().replace(/^\//, "").replace(new RegExp(`^${ctx.settings.commandName}\\s+`), "").trim();
      const matches = commands.filter((c) => c.name === wanted || c.name.startsWith(`${wanted} `));
      if (matches.length === 0) {
        const guess = closest(wanted, commands.map((c) => c.name));
        throw new UserError("help.unknown", `There is no command "${wanted}".${guess ? ` Did you mean ${guess}?` : ""} ${root} help lists them all.`);
      }
      // why a bounded key: here `wanted` names a command or a group of them.
      return once(`${root}\u0000${wanted}`, () => ({
        visibility: "ephemeral",
        heading: matches.length === 1 ? `${root} ${matches[0]!.name}` : `${root} ${wanted} …`,
        blocks: matches.flatMap((c) => [
          { kind: "text" as const, text: `${root} ${usageOf(c)}\n${c.summary}. ${permissionText[c.permission]}.` },
          ...(c.options.length
            ? [{ kind: "fields" as const, fields: c.options.map((o) => ({ label: o.kind === "tags" ? "#tag" : o.positional ? `<${o.placeholder}>` : `${o.name}:`, value: `${o.description}${o.required ? "" : " (optional)"}${o.max ? `, up to ${o.max} characters` : ""}` })) }]
            : []),
          { kind: "list" as const, title: "Examples", items: c.examples.map((e) => ({ text: `${root} ${e}` })) },
        ]),
      }));
    },
  });
}

/**
 * Proves the Discord fake against the real discord.js 14 Client: gateway login, interactions and
 * their callbacks, webhooks (@original), channel sends with nonces, scripted failures, commands.
 */
import { once } from 'node:events';
import {
  AttachmentBuilder,
  ChannelType,
  ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
  type Message,
  type RateLimitData,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, startFakeDiscord, type FakeDiscord } from './discord/fake-discord.ts';

const TOKEN = 'fake.bot.token';
const GUILD = '1310000000000000001';
const CHANNEL = '1310000000000000002';
const LOCKED = '1310000000000000003';
const CATEGORY = '1310000000000000004';
const OTHER_GUILD = '1310000000000000010';
const ORGANISER_ROLE = '1310000000000000020';

function nextInteraction(client: Client, timeoutMs = 2000): Promise<Interaction> {
  return new Promise((resolve, reject) => {
    const onInteraction = (interaction: Interaction): void => {
      clearTimeout(timer);
      resolve(interaction);
    };
    const timer = setTimeout(() => {
      client.off(Events.InteractionCreate, onInteraction);
      reject(new Error('no interactionCreate'));
    }, timeoutMs);
    client.once(Events.InteractionCreate, onInteraction);
  });
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not an object: ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function newClient(fake: FakeDiscord, intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds]): Client {
  return new Client({ intents, rest: { api: fake.apiUrl }, allowedMentions: { parse: [] } });
}

describe('fake Discord with the real discord.js Client', () => {
  let fake: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      token: TOKEN,
      guilds: [
        {
          id: GUILD,
          name: 'Coalition',
          roles: [{ id: ORGANISER_ROLE, name: 'Organisers', permissions: PermissionFlagsBits.ManageGuild, mentionable: true }],
          channels: [
            { id: CATEGORY, name: 'Docket', type: ChannelType.GuildCategory },
            { id: CHANNEL, name: 'docket', parentId: CATEGORY },
            {
              id: LOCKED,
              name: 'announcements',
              parentId: CATEGORY,
              permissionOverwrites: [{ id: GUILD, type: 0, allow: '0', deny: String(PermissionFlagsBits.SendMessages) }],
            },
          ],
        },
        { id: OTHER_GUILD, name: 'Other coalition' },
      ],
    });
    client = newClient(fake);
    const ready = once(client, Events.ClientReady);
    await client.login(TOKEN);
    await ready;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs in, becomes ready and caches guilds, channels, roles and its own member', async () => {
    expect(client.user?.id).toBe(fake.botUser.id);
    const identify = await fake.waitForIdentify();
    expect(identify).toMatchObject({ token: TOKEN, intents: GatewayIntentBits.Guilds, shard: [0, 1], accepted: true });
    expect(identify.query).toMatchObject({ v: '10', encoding: 'json' });
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.name).toBe('Coalition');
    expect(guild?.available).toBe(true);
    const channel = client.channels.cache.get(CHANNEL);
    expect(channel?.type).toBe(ChannelType.GuildText);
    expect(channel?.isTextBased()).toBe(true);
    expect(guild?.roles.everyone.permissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(guild?.roles.cache.get(ORGANISER_ROLE)?.name).toBe('Organisers');
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    const locked = client.channels.cache.get(LOCKED) as TextChannel;
    expect(locked.permissionsFor(fake.botUser.id)?.has(PermissionFlagsBits.SendMessages)).toBe(false);
    expect(client.guilds.cache.has(OTHER_GUILD)).toBe(true);
    expect(client.application?.id).toBe(fake.applicationId);
    // READY then one GUILD_CREATE per guild, with increasing sequence numbers.
    const dispatches = fake.gatewayLog.filter((e) => e.direction === 'out' && e.op === 0);
    expect(dispatches.slice(0, 3).map((e) => [e.t, e.s])).toEqual([
      ['READY', 1],
      ['GUILD_CREATE', 2],
      ['GUILD_CREATE', 3],
    ]);
  });

  it('stores commands put with rest.put(Routes.applicationGuildCommands) and keeps ids on overwrite', async () => {
    const docket = new SlashCommandBuilder()
      .setName('docket')
      .setDescription('The coalition docket')
      .addSubcommandGroup((g) =>
        g
          .setName('question')
          .setDescription('Questions')
          .addSubcommand((s) =>
            s
              .setName('add')
              .setDescription('Add a question')
              .addStringOption((o) => o.setName('text').setDescription('Question').setRequired(true))
              .addIntegerOption((o) => o.setName('days').setDescription('Days left')),
          ),
      )
      .addSubcommand((s) => s.setName('close').setDescription('Close').addStringOption((o) => o.setName('question').setDescription('Which').setAutocomplete(true)));
    const route = Routes.applicationGuildCommands(fake.applicationId, GUILD);
    const first = (await client.rest.put(route, { body: [docket.toJSON()] })) as Array<{ id: string; name: string; guild_id: string }>;
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ name: 'docket', guild_id: GUILD, application_id: fake.applicationId });
    expect(first[0]?.id).toMatch(/^\d{17,20}$/);
    expect(fake.commands(GUILD).map((c) => c.name)).toEqual(['docket']);
    const second = (await client.rest.put(route, { body: [docket.toJSON()] })) as Array<{ id: string }>;
    expect(second[0]?.id).toBe(first[0]?.id);
    const fetched = await client.guilds.cache.get(GUILD)?.commands.fetch();
    expect(fetched?.first()?.name).toBe('docket');
    await expect(client.rest.put(route, { body: [{ name: 'Bad Name', description: 'x' }] })).rejects.toMatchObject({ code: 50035, status: 400 });
    expect(fake.commands(GUILD)).toHaveLength(1);
  });

  it('delivers a chat-input command with a subcommand group; an ephemeral reply arrives as callback type 4', async () => {
    const received = nextInteraction(client);
    const payload = fake.sendInteraction(
      fake.chatInput({
        name: 'docket',
        subcommandGroup: 'question',
        subcommand: 'add',
        options: { text: 'Who signs the letter?', days: 3 },
        user: { id: '1310000000000000100', username: 'ana' },
        permissions: '8',
      }),
    );
    const interaction = await received;
    expect(interaction).toBeInstanceOf(ChatInputCommandInteraction);
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    expect(interaction.commandName).toBe('docket');
    expect(interaction.commandId).toBe(fake.commands(GUILD)[0]?.id);
    expect(interaction.options.getSubcommandGroup()).toBe('question');
    expect(interaction.options.getSubcommand()).toBe('add');
    expect(interaction.options.getString('text')).toBe('Who signs the letter?');
    expect(interaction.options.getInteger('days')).toBe(3);
    expect(interaction.guildId).toBe(GUILD);
    expect(interaction.channelId).toBe(CHANNEL);
    expect(interaction.user.username).toBe('ana');
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.Administrator)).toBe(true);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(interaction.inCachedGuild()).toBe(true);

    await interaction.reply({ content: 'Added, <@1310000000000000100> @everyone', flags: MessageFlags.Ephemeral });
    const callback = await fake.waitForCallback(payload.id);
    expect(callback.type).toBe(4);
    expect(callback.withResponse).toBe('false');
    expect(callback.request.headers.authorization).toBeUndefined();
    expect(callback.request.path).toBe(`/interactions/${payload.id}/${payload.token}/callback`);
    const data = record(callback.data);
    expect(data.flags).toBe(64);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const original = fake.messages.find((m) => m.interactionId === payload.id);
    expect(original?.ephemeral).toBe(true);
    expect(original?.message.mentions).toEqual([]);
    expect(original?.message.mention_everyone).toBe(false);
    expect(fake.channelMessages(CHANNEL).some((m) => m.id === original?.message.id)).toBe(false);
    // A second initial response is rejected the way Discord does.
    const again = await fetch(`${fake.apiUrl}/v10/interactions/${payload.id}/${payload.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'twice' } }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 40060 });
  });

  it('maps member.permissions "0" to an empty bitfield and DM interactions to null memberPermissions', async () => {
    let received = nextInteraction(client);
    fake.sendInteraction(fake.chatInput({ name: 'docket', subcommand: 'close', permissions: '0' }));
    const guildInteraction = await received;
    expect(guildInteraction.memberPermissions?.bitfield).toBe(0n);
    expect(guildInteraction.memberPermissions?.has(PermissionFlagsBits.SendMessages)).toBe(false);

    received = nextInteraction(client);
    fake.sendInteraction(fake.chatInput({ name: 'docket', subcommand: 'close', roles: [ORGANISER_ROLE] }));
    const withRole = await received;
    expect(withRole.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(withRole.memberPermissions?.has(PermissionFlagsBits.Administrator)).toBe(false);

    received = nextInteraction(client);
    fake.sendInteraction(fake.chatInput({ name: 'docket', subcommand: 'close', guildId: null }));
    const dm = await received;
    expect(dm.guildId).toBeNull();
    expect(dm.member).toBeNull();
    expect(dm.memberPermissions).toBeNull();
    expect(dm.context).toBe(1);
  });

  it('deferReply then editReply: callback type 5, then PATCH .../messages/@original (sent as %40original)', async () => {
    const received = nextInteraction(client);
    const payload = fake.sendInteraction(fake.chatInput({ name: 'docket', subcommand: 'close' }));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    await interaction.deferReply();
    const callback = await fake.waitForCallback(payload.id);
    expect(callback.type).toBe(5);
    const edited: Message = await interaction.editReply({ content: 'Closed.' });
    expect(edited.content).toBe('Closed.');
    const patch = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(payload.token));
    expect(patch.path).toBe(`/webhooks/${fake.applicationId}/${payload.token}/messages/@original`);
    expect(patch.rawPath).toContain('/messages/%40original');
    expect(patch.headers.authorization).toBeUndefined();
    expect(record(patch.body).content).toBe('Closed.');
    expect(fake.channelMessages(CHANNEL).find((m) => m.id === edited.id)?.flags ?? 0).toBe(0);

    const followUp = await interaction.followUp({ content: 'One more thing', files: [new AttachmentBuilder(Buffer.from('a,b\n1,2\n'), { name: 'docket.csv' })] });
    const post = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${payload.token}`);
    expect(post.query.wait).toBe('true');
    expect(post.multipart).toBe(true);
    expect(post.files.map((f) => [f.field, f.filename, f.data.toString()])).toEqual([['files[0]', 'docket.csv', 'a,b\n1,2\n']]);
    expect(record(post.body).content).toBe('One more thing');
    expect(followUp.attachments.first()?.name).toBe('docket.csv');
    const fetched = await interaction.fetchReply();
    expect(fetched.id).toBe(edited.id);
  });

  it('autocomplete respond() arrives as callback type 8', async () => {
    const received = nextInteraction(client);
    const payload = fake.sendInteraction(fake.autocomplete({ name: 'docket', subcommand: 'close', focused: { name: 'question', value: 'Wh' } }));
    const interaction = await received;
    if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
    expect(interaction.options.getSubcommand()).toBe('close');
    expect(interaction.options.getFocused(true)).toMatchObject({ name: 'question', value: 'Wh' });
    await interaction.respond([{ name: 'Who signs the letter?', value: 'q1' }]);
    const callback = await fake.waitForCallback(payload.id);
    expect(callback.type).toBe(8);
    expect(callback.data).toEqual({ choices: [{ name: 'Who signs the letter?', value: 'q1' }] });
  });

  it('a button showModal() arrives as callback type 9; the modal submit is parsed', async () => {
    let received = nextInteraction(client);
    const click = fake.sendInteraction(fake.button({ customId: 'vote:q1' }));
    const button = await received;
    if (!button.isButton()) throw new Error('expected a button');
    expect(button.customId).toBe('vote:q1');
    expect(button.message.id).toBe(click.message.id);
    await button.showModal(
      new ModalBuilder()
        .setCustomId('reason:q1')
        .setTitle('Your vote')
        .addLabelComponents(new LabelBuilder().setLabel('Why?').setTextInputComponent(new TextInputBuilder().setCustomId('reason').setStyle(TextInputStyle.Paragraph))),
    );
    const modal = await fake.waitForCallback(click.id);
    expect(modal.type).toBe(9);
    expect(record(modal.data)).toMatchObject({ custom_id: 'reason:q1', title: 'Your vote' });

    for (const layout of ['label', 'actionRow'] as const) {
      received = nextInteraction(client);
      const submitted = fake.sendInteraction(fake.modalSubmit({ customId: 'reason:q1', fields: { reason: `because ${layout}` }, layout, message: click.message.id }));
      const submit = await received;
      if (!submit.isModalSubmit()) throw new Error('expected a modal submit');
      expect(submit.customId).toBe('reason:q1');
      expect(submit.fields.getTextInputValue('reason')).toBe(`because ${layout}`);
      if (!submit.isFromMessage()) throw new Error('expected a modal opened from a message');
      await submit.update({ content: 'Vote recorded', components: [] });
      const cb = await fake.waitForCallback(submitted.id);
      expect(cb.type).toBe(7);
      expect(fake.message(click.message.id)?.message.content).toBe('Vote recorded');
    }
  });

  it('a string select delivers its values; reply({ withResponse: true }) parses the callback response', async () => {
    let received = nextInteraction(client);
    fake.sendInteraction(fake.stringSelect({ customId: 'pick', values: ['q1', 'q2'] }));
    const select = await received;
    if (!select.isStringSelectMenu()) throw new Error('expected a string select');
    expect(select.values).toEqual(['q1', 'q2']);
    await select.deferUpdate();

    received = nextInteraction(client);
    const payload = fake.sendInteraction(fake.chatInput({ name: 'docket', subcommand: 'close' }));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    const response = await interaction.reply({ content: 'Public answer', withResponse: true });
    expect(response.interaction.id).toBe(payload.id);
    expect(response.resource?.message?.content).toBe('Public answer');
    expect((await fake.waitForCallback(payload.id)).withResponse).toBe('true');
    expect(fake.channelMessages(CHANNEL).some((m) => m.content === 'Public answer')).toBe(true);
  });

  it('channel.send with the same nonce and enforceNonce yields one stored message', async () => {
    const channel = client.channels.cache.get(CHANNEL) as TextChannel;
    const before = fake.channelMessages(CHANNEL).length;
    const first = await channel.send({ content: 'Digest for 2025-03-01', nonce: 'digest-2025-03-01', enforceNonce: true });
    const second = await channel.send({ content: 'Digest for 2025-03-01', nonce: 'digest-2025-03-01', enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(fake.channelMessages(CHANNEL)).toHaveLength(before + 1);
    const sends = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`).slice(-2);
    expect(sends.map((r) => record(r.body))).toEqual([
      expect.objectContaining({ nonce: 'digest-2025-03-01', enforce_nonce: true, allowed_mentions: { parse: [] } }),
      expect.objectContaining({ nonce: 'digest-2025-03-01', enforce_nonce: true }),
    ]);
    expect(sends[0]?.headers.authorization).toBe(`Bot ${TOKEN}`);
    // Without enforce_nonce Discord does not de-duplicate.
    const third = await channel.send({ content: 'again', nonce: 'digest-2025-03-01' });
    expect(third.id).not.toBe(first.id);
  });

  it('a scripted 403 rejects channel.send with DiscordAPIError 50001; real overwrites give 50013', async () => {
    const channel = client.channels.cache.get(CHANNEL) as TextChannel;
    const failure = fake.failNext({ method: 'POST', path: `/channels/${CHANNEL}/messages` }, { status: 403 });
    const error: unknown = await channel.send('hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50001, status: 403, message: 'Missing Access' });
    expect(failure.hits).toBe(1);
    await expect(channel.send('works again')).resolves.toBeTruthy();

    const locked = client.channels.cache.get(LOCKED) as TextChannel;
    await expect(locked.send('nope')).rejects.toMatchObject({ code: 50013, status: 403 });
    await expect(channel.send({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ code: 50035 });
    const unknown = fake.failNext({ path: /^\/channels\/\d+\/messages$/ }, { status: 404 });
    await expect(channel.send('gone')).rejects.toMatchObject({ code: 10003, status: 404, message: 'Unknown Channel' });
    expect(unknown.remaining).toBe(0);
  });

  it('429 with Retry-After is waited out and retried; 500 is retried', async () => {
    const channel = client.channels.cache.get(CHANNEL) as TextChannel;
    const limited: RateLimitData[] = [];
    const onLimited = (data: RateLimitData): void => void limited.push(data);
    client.rest.on('rateLimited', onLimited);
    const since = fake.requests.length;
    fake.failNext({ method: 'POST', path: `/channels/${CHANNEL}/messages` }, { status: 429, retryAfter: 0.2 });
    const sent = await channel.send('after the limit');
    expect(sent.content).toBe('after the limit');
    const attempts = fake.requests.slice(since).filter((r) => r.path === `/channels/${CHANNEL}/messages`);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(record(attempts[0]?.response)).toMatchObject({ retry_after: 0.2, global: false });
    // The client was told to wait the 200 ms the fake asked for (an event, not a stopwatch).
    expect(limited[0]?.retryAfter).toBeGreaterThanOrEqual(200);
    client.rest.off('rateLimited', onLimited);

    fake.failNext({ method: 'POST', path: `/channels/${CHANNEL}/messages` }, { status: 500 });
    await expect(channel.send('after a 500')).resolves.toBeTruthy();
  });

  it('resumes after the gateway asks to reconnect, then keeps delivering events', async () => {
    const resumed = once(client.ws.shards.first() ?? client, 'resumed');
    fake.reconnect();
    await resumed;
    expect(fake.resumes).toBe(1);
    const received = nextInteraction(client);
    fake.sendInteraction(fake.chatInput({ name: 'docket', subcommand: 'close' }));
    await expect(received).resolves.toBeTruthy();
  });

  it('guildDelete removes a guild; guildCreate adds one', async () => {
    const deleted = once(client, Events.GuildDelete);
    fake.guildDelete(OTHER_GUILD);
    await deleted;
    expect(client.guilds.cache.has(OTHER_GUILD)).toBe(false);
    await expect(client.rest.get(Routes.guild(OTHER_GUILD))).rejects.toMatchObject({ code: 50001 });

    const created = once(client, Events.GuildCreate);
    fake.guildCreate({ id: '1310000000000000030', name: 'New coalition', botPermissions: Permission.ViewChannel | Permission.SendMessages });
    await created;
    const guild = client.guilds.cache.get('1310000000000000030');
    expect(guild?.members.me?.roles.cache.some((r) => r.managed)).toBe(true);
  });
});

describe('fake Discord gateway details', () => {
  it('rejects a wrong token on REST first (TokenInvalid), or with close 4004 when only the gateway checks', async () => {
    const fake = await startFakeDiscord({ token: 'right' });
    const client = newClient(fake);
    try {
      await expect(client.login('wrong')).rejects.toMatchObject({ code: 'TokenInvalid' });
      expect(fake.requests[0]).toMatchObject({ path: '/gateway/bot', status: 401 });
    } finally {
      await client.destroy();
      await fake.close();
    }

    const gatewayOnly = await startFakeDiscord({ token: 'right', rejectInvalidToken: 'gateway' });
    const client2 = newClient(gatewayOnly);
    try {
      await expect(client2.login('wrong')).rejects.toThrow('Authentication failed');
      expect(gatewayOnly.identifies[0]).toMatchObject({ token: 'wrong', accepted: false });
    } finally {
      await client2.destroy();
      await gatewayOnly.close();
    }
  });

  it('closes with 4014 when a privileged intent is not enabled', async () => {
    const fake = await startFakeDiscord({ privilegedIntents: 0 });
    const client = newClient(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent]);
    try {
      await expect(client.login('any-token')).rejects.toThrow('Used disallowed intents');
      expect(fake.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.MessageContent);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });

  it('acks heartbeats and sends MESSAGE_CREATE to clients with the GuildMessages intent', async () => {
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 50, interactionResponseDeadlineMs: 100 });
    const client = newClient(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    try {
      const ready = once(client, Events.ClientReady);
      await client.login('any-token');
      await ready;
      await fake.waitFor(() => (fake.heartbeats >= 2 ? true : undefined), 2000, 'two heartbeats');
      await fake.waitFor(() => (client.ws.ping >= 0 ? true : undefined), 2000, 'a measured ping');
      const acks = fake.gatewayLog.filter((e) => e.direction === 'out' && e.op === 11);
      expect(acks.length).toBeGreaterThanOrEqual(2);

      const channelId = fake.guild(fake.guildIds()[0] ?? '')?.channelIds[0] ?? '';
      const channel = client.channels.cache.get(channelId) as TextChannel;
      const created = once(client, Events.MessageCreate);
      const sent = await channel.send('hello gateway');
      const [message] = (await created) as [Message];
      expect(message.id).toBe(sent.id);
      expect(message.author.id).toBe(fake.botUser.id);

      // The initial response has a deadline (3 s on Discord, 100 ms here): after it, 10062 Unknown interaction.
      const received = nextInteraction(client);
      fake.sendInteraction(fake.chatInput({ name: 'late' }));
      const late = await received;
      if (!late.isChatInputCommand()) throw new Error('expected a chat input command');
      await new Promise((resolve) => setTimeout(resolve, 150));
      await expect(late.reply('too late')).rejects.toMatchObject({ code: 10062, status: 404 });
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});

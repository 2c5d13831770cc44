// The bot's slash commands (/connect-node, /diagnose) as Discord registers them, and their registration.
// Registration only declares commands; it never grants anyone a right (that is the configuration's, checked per click).

import {
  type APIApplication,
  type APIApplicationCommand,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  REST,
  type RESTPutAPIApplicationCommandsJSONBody,
  Routes,
} from "discord.js";
import { type MessageKey, t } from "../../core/i18n/index.ts";
import { MAX_DISPLAY_NAME_LENGTH, MAX_REASON_LENGTH } from "../../core/validate.ts";

/** The names the code reads; Discord shows Chinese clients the zh-CN localizations of the option names. */
export const COMMAND = {
  connectNode: "connect-node",
  diagnose: "diagnose",
  nodes: "nodes",
  disconnectNode: "disconnect-node",
} as const;
export const OPTION = {
  name: "name",
  nodeOperator: "node-operator",
  reason: "reason",
  commands: "commands",
  log: "log",
} as const;

const zh = (key: MessageKey) => ({ "zh-CN": t("zh-CN", key) });

/**
 * The command payloads. Command names stay `/connect-node` and `/diagnose` in every language, because the
 * bot's own messages (in both languages) tell people to run them by those names; descriptions and option
 * names are localized.
 */
export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: COMMAND.connectNode,
      description: t("en", "discord.command.connectNode"),
      description_localizations: zh("discord.command.connectNode"),
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: OPTION.name,
          name_localizations: zh("discord.option.name"),
          description: t("en", "discord.option.name.description"),
          description_localizations: zh("discord.option.name.description"),
          required: true,
          autocomplete: true,
          min_length: 1,
          max_length: MAX_DISPLAY_NAME_LENGTH,
        },
        {
          type: ApplicationCommandOptionType.User,
          name: OPTION.nodeOperator,
          name_localizations: zh("discord.option.nodeOperator"),
          description: t("en", "discord.option.nodeOperator.description"),
          description_localizations: zh("discord.option.nodeOperator.description"),
          required: false,
        },
        {
          // Optional for Discord even when CLAWSHAKE_REQUIRE_REASON is on: registration does not read the settings,
          // the bot refuses a request without one.
          type: ApplicationCommandOptionType.String,
          name: OPTION.reason,
          name_localizations: zh("discord.option.reason"),
          description: t("en", "discord.option.reason.description"),
          description_localizations: zh("discord.option.reason.description"),
          required: false,
          max_length: MAX_REASON_LENGTH,
        },
        {
          // The requester's list, so an approver can grant exactly it; suggestions complete the id being typed.
          type: ApplicationCommandOptionType.String,
          name: OPTION.commands,
          name_localizations: zh("discord.option.commands"),
          description: t("en", "discord.option.commands.description"),
          description_localizations: zh("discord.option.commands.description"),
          required: false,
          autocomplete: true,
          max_length: 1000,
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: COMMAND.diagnose,
      description: t("en", "discord.command.diagnose"),
      description_localizations: zh("discord.command.diagnose"),
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: [
        {
          type: ApplicationCommandOptionType.Attachment,
          name: OPTION.log,
          name_localizations: zh("discord.option.log"),
          description: t("en", "discord.option.log.description"),
          description_localizations: zh("discord.option.log.description"),
          required: false,
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: COMMAND.nodes,
      description: t("en", "discord.command.nodes"),
      description_localizations: zh("discord.command.nodes"),
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: COMMAND.disconnectNode,
      description: t("en", "discord.command.disconnectNode"),
      description_localizations: zh("discord.command.disconnectNode"),
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: OPTION.name,
          name_localizations: zh("discord.option.name"),
          description: t("en", "discord.option.node.description"),
          description_localizations: zh("discord.option.node.description"),
          required: true,
          autocomplete: true,
          min_length: 1,
          max_length: 100,
        },
      ],
    },
  ];
}

export interface RegisterOptions {
  token: string;
  /** Found from the token (`GET /applications/@me`) when not given. */
  applicationId?: string;
  /** Registers in this server only (shows up at once, for trying out); otherwise globally (production). */
  guildId?: string;
  /** `DISCORD_API_URL`, when REST goes elsewhere than Discord. */
  apiUrl?: string;
}

export interface Registered {
  applicationId: string;
  guildId?: string;
  commands: { id: string; name: string }[];
}

/** `clawshake register-commands [--guild ID]`: replaces the bot's commands with /connect-node and /diagnose. */
export async function registerCommands(options: RegisterOptions): Promise<Registered> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  try {
    const applicationId =
      options.applicationId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
    const route = options.guildId
      ? Routes.applicationGuildCommands(applicationId, options.guildId)
      : Routes.applicationCommands(applicationId);
    const saved = (await rest.put(route, {
      body: commandDefinitions(),
    })) as APIApplicationCommand[];
    return {
      applicationId,
      ...(options.guildId ? { guildId: options.guildId } : {}),
      commands: saved.map((command) => ({ id: command.id, name: command.name })),
    };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

// The Discord adapter's public face: what the composition root and the CLI use.
// Nothing else in the adapter is meant to be imported from outside it.

export { COMMAND, commandDefinitions, type Registered, registerCommands } from "./commands.ts";
export { DiscordChat } from "./discord.ts";
export { type DiscordOptions, discordOptions, intentsFor } from "./options.ts";

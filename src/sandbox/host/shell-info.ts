/**
 * What the UI may know about the shell without running it: the command names for the terminal's
 * Tab completion, with their usage and descriptions. Pure data; no worker is involved.
 */
export { COMMAND_NAMES, COMMANDS, type CommandInfo } from '../shell/command-names.ts';

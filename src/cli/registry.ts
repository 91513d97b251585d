import type { Command } from 'commander';

/** A command by name; its implementation is loaded only when the command is registered. */
export interface CommandEntry {
  name: string;
  load: () => Promise<(program: Command) => void>;
}

/**
 * Every command, in the order `--help` lists them. Adding a command is one file and one entry.
 * A run of one command loads only that command's module (and what it imports).
 */
export const COMMANDS: CommandEntry[] = [
  { name: 'trace', load: async () => (await import('./commands/trace.js')).registerTrace },
  { name: 'stats', load: async () => (await import('./commands/stats.js')).registerStats },
  { name: 'slow', load: async () => (await import('./commands/slow.js')).registerSlow },
  { name: 'errors', load: async () => (await import('./commands/errors.js')).registerErrors },
  { name: 'why', load: async () => (await import('./commands/why.js')).registerWhy },
  { name: 'dedup', load: async () => (await import('./commands/dedup.js')).registerDedup },
  { name: 'emergency', load: async () => (await import('./commands/emergency.js')).registerEmergency },
  { name: 'tail', load: async () => (await import('./commands/tail.js')).registerTail },
  { name: 'dashboard', load: async () => (await import('./commands/dashboard.js')).registerDashboard },
  { name: 'ship', load: async () => (await import('./commands/ship.js')).registerShip },
  { name: 'check', load: async () => (await import('./commands/check.js')).registerCheck },
];

/**
 * The commands a command line needs: just the one it names when its first argument is a
 * command, else all of them (program help, `help <command>`, `--version`, unknown commands and
 * their suggestions).
 */
export function commandsFor(args: string[]): CommandEntry[] {
  const named = COMMANDS.find((c) => c.name === args[0]);
  return named ? [named] : COMMANDS;
}

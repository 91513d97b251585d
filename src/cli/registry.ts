import type { Command } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerDedup } from './commands/dedup.js';
import { registerEmergency } from './commands/emergency.js';
import { registerErrors } from './commands/errors.js';
import { registerSlow } from './commands/slow.js';
import { registerStats } from './commands/stats.js';
import { registerTail } from './commands/tail.js';
import { registerTrace } from './commands/trace.js';

/** Every command, in the order `--help` lists them. Adding a command is one file and one entry. */
export const COMMANDS: ((program: Command) => void)[] = [registerTrace, registerStats, registerSlow, registerErrors, registerDedup, registerEmergency, registerTail, registerDashboard, registerCheck];

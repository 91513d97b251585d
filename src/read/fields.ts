import type { NormalizedFields } from './assemble.js';

/**
 * Fills the fields a record lacks from another view of it (its envelope's, or the object a
 * record is nested in). Ids are the union, the record's own first.
 */
export function fillFrom(f: NormalizedFields, ctx: NormalizedFields): void {
  if (f.time === undefined) f.time = ctx.time;
  if (f.level === 'unknown') f.level = ctx.level;
  for (const id of ctx.ids) if (!f.ids.includes(id)) f.ids.push(id);
  f.durationMs ??= ctx.durationMs;
  f.operation ??= ctx.operation;
  f.service ??= ctx.service;
  f.component ??= ctx.component;
  f.eventType ??= ctx.eventType;
  f.errorType ??= ctx.errorType;
  f.errorMessage ??= ctx.errorMessage;
  f.stack ??= ctx.stack;
  f.message ??= ctx.message;
}

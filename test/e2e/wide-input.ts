import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { displayWidth, plain } from '../../src/render/text/layout.js';

/** Services with names longer than any column gives them. */
export const LONG_SERVICES = ['checkoutservice-hipstershop-production-eu-west-1-canary', 'recommendationservice-hipstershop-production-eu-west-1', 'frontend-proxy-envoy-sidecar-production'];
/** What tells the failures apart, after a long start they all share. */
export const FAILURE_ENDS = ['connection refused to cartservice', 'deadline exceeded calling productcatalogservice', 'payment declined by upstream processor', 'smtp relay rejected the confirmation'];

/**
 * Twenty minutes of JSON Lines: requests that succeed, then from minute ten failures whose
 * messages share a long start (`TraceID: … SpanID: … Component: …`) and differ at the end,
 * from services with long names, and circuit-breaker events. `times: false` leaves out every time.
 */
export function writeWideInput(dir: string, name: string, opts: { times?: boolean } = {}): string {
  const t0 = Date.UTC(2024, 0, 15, 10, 0, 0);
  const lines: string[] = [];
  for (let i = 0; i < 1200; i++) {
    const time = opts.times === false ? {} : { time: new Date(t0 + i * 1000).toISOString() };
    const service = LONG_SERVICES[i % 3];
    const request_id = `req-${i}`;
    lines.push(JSON.stringify({ ...time, level: 'info', service, request_id, operation: '/hipstershop.CheckoutService/PlaceOrder', duration_ms: i >= 600 ? 2500 + (i % 7) * 100 : 120 + (i % 5) * 10, msg: 'request done' }));
    if (i >= 600 && i % 2 === 0) {
      const end = FAILURE_ENDS[(i / 2) % 4];
      const msg = `TraceID: ${(i * 7919).toString(16).padStart(16, 'a')} SpanID: ${(i * 104729).toString(16).padStart(12, 'b')} Component: grpc-client-interceptor-chain Operation: /hipstershop.CheckoutService/PlaceOrder ${end} user=${i % 5}`;
      lines.push(JSON.stringify({ ...time, level: i % 10 === 0 ? 'warn' : 'error', service, request_id, msg }));
    }
    if (i >= 600 && i % 120 === 0) lines.push(JSON.stringify({ ...time, level: 'warn', service: LONG_SERVICES[0], msg: 'circuit breaker opened for cartservice', event_type: 'circuit_breaker_opened' }));
  }
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Every line of human output at most `width` columns (colour codes stripped, wide characters counted two). */
export function expectFits(stdout: string, width: number): void {
  for (const line of stdout.split('\n')) expect(displayWidth(plain(line)), plain(line)).toBeLessThanOrEqual(width);
}

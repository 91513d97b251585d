import { describe, expect, it } from 'vitest';
import { RouteTemplater, segmentPlaceholder, templateRoute } from '../../../src/analyze/lib/routes.js';

describe('route templating', () => {
  const cases: [string, string][] = [
    ['GET /api/users/123/orders/9f8e7d6c5b4a3f2e', 'GET /api/users/<id>/orders/<hex>'],
    ['GET /api/users/123?include=orders&page=2', 'GET /api/users/<id>'],
    ['/api/items/550e8400-e29b-41d4-a716-446655440000', '/api/items/<uuid>'],
    ['POST /orders/507f1f77bcf86cd799439011/items', 'POST /orders/<hex>/items'],
    ['GET /reports/2024-05-01', 'GET /reports/<date>'],
    ['GET /users/jane.doe@example.com/profile', 'GET /users/<email>/profile'],
    ['GET /orders/ord-12345', 'GET /orders/<id>'],
    ['GET /invoices/INV_20240001', 'GET /invoices/<id>'],
    ['GET /s/k9x2m7q4z1', 'GET /s/<id>'],
    ['GET /s/a1b2c3d4e5', 'GET /s/<hex>'],
    ['GET /reset/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg', 'GET /reset/<token>'],
    ['GET /jwt/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N', 'GET /jwt/<token>'],
    ['https://api.example.com/v1/users/42#top', 'https://api.example.com/v1/users/<id>'],
    ['GET /cart/17;jsessionid=ABC', 'GET /cart/<id>'],
    ['DELETE /api/v2/sessions/8d3c9a7e', 'DELETE /api/v2/sessions/<hex>'],
  ];
  it.each(cases)('%s → %s', (raw, want) => expect(templateRoute(raw)).toBe(want));

  const unchanged = [
    '/v2/',
    '/api/health',
    '/static/app.js',
    'GET /api/v1/users',
    'GET /oauth2/authorize',
    'GET /hash/sha256',
    'GET /certs/x509',
    'GET /blog/release2024',
    'GET /api/deadbeef',
    'GET /api/getUserPreferencesById',
    'GET /',
    'db.query',
    'process_query',
    'job_abc123_5',
    'send email to a/b',
  ];
  it.each(unchanged)('%s stays', (raw) => expect(templateRoute(raw)).toBe(raw));

  it('names what each segment is', () => {
    expect(segmentPlaceholder('123')).toBe('<id>');
    expect(segmentPlaceholder('v2')).toBeUndefined();
    expect(segmentPlaceholder('health')).toBeUndefined();
    expect(segmentPlaceholder('')).toBeUndefined();
  });

  it('memoises within a bounded size and answers the same', () => {
    const t = new RouteTemplater(4);
    for (let i = 0; i < 100; i++) expect(t.apply(`GET /users/${i}`)).toBe('GET /users/<id>');
    expect(t.apply('GET /api/health')).toBe('GET /api/health');
  });
});

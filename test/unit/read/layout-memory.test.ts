import { describe, expect, it } from 'vitest';
import { LayoutChooser } from '../../../src/read/layout-chooser.js';

describe('layout memory is per input', () => {
  it("one input's W3C #Fields header does not give another input its columns", () => {
    const a = new LayoutChooser(undefined, Date.UTC(2024, 6, 1));
    const b = new LayoutChooser(undefined, Date.UTC(2024, 6, 1));
    const line = '2024-01-15 10:30:45 10.0.0.1 GET /api/items 503';
    expect(a.directive('#Fields: date time s-ip cs-method cs-uri-stem sc-status')).toBe(true);
    const hit = a.parse(line);
    expect(hit?.layout.name).toBe('w3c');
    expect(hit?.obj).toMatchObject({ method: 'GET', path: '/api/items', status: 503 });
    // The same line in an input without the header is not read with a's columns.
    expect(b.parse(line)?.obj?.status).not.toBe(503);
  });
});

import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/check/rules.js';

describe('rules file', () => {
  it('reads JSON and YAML', () => {
    const json = parseRules('r.json', '{"rules":[{"name":"p95","metric":"p95_ms","where":{"operation":"checkout"},"max":2000}]}');
    expect(json).toEqual([{ name: 'p95', metric: 'p95_ms', where: { operation: 'checkout' }, max: 2000, min: undefined, baseline: undefined }]);
    const yaml = parseRules('r.yaml', 'rules:\n  - name: error rate\n    metric: error_rate\n    max: 0.01\n');
    expect(yaml[0]).toMatchObject({ name: 'error rate', metric: 'error_rate', max: 0.01, where: {} });
  });

  it.each([
    ['{"rules":[{"name":"a","metric":"p96_ms","max":1}]}', /r\.json: rules\[0\]\.metric: unknown metric "p96_ms"/],
    ['{"rules":[{"name":"a","metric":"p95_ms","max":1},{"metric":"errors"}]}', /rules\[1\]: a rule needs "max" and\/or "min"/],
    ['{"rules":[{"metric":"errors","max":"ten"}]}', /rules\[0\]\.max: expected a number, got "ten"/],
    ['{"rules":[{"metric":"errors","max":1,"maximum":2}]}', /rules\[0\]\.maximum: unknown key/],
    ['{"rules":[{"metric":"new_error_clusters","max":0}]}', /rules\[0\]\.baseline: new_error_clusters needs/],
    ['{"rules":{}}', /expected \{"rules": \[ ... \]\}/],
    ['{"rules":[]}', /the list is empty/],
    ['{\n  "rules": [\n    {"metric": "errors" "max": 1}\n  ]\n}', /invalid JSON: .* at line 3, column \d+/],
  ])('rejects %s', (text, why) => expect(() => parseRules('r.json', text)).toThrow(why));

  it('gives the line of a YAML syntax error', () => {
    expect(() => parseRules('r.yml', 'rules:\n  - name: a\n    metric: [errors\n')).toThrow(/r\.yml: line \d+, column \d+/);
  });
});

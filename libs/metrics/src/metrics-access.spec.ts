import { loadConfig } from '@intake/config';
import { MetricsAccess } from './metrics-access';

const TOKEN = 'a'.repeat(20) + 'b'.repeat(20);
const access = (env: Record<string, string> = {}) =>
  new MetricsAccess(loadConfig({ DATA_DIR: 'memory://', ...env }));

describe('MetricsAccess', () => {
  it('is off without METRICS_TOKEN, whatever is presented', () => {
    expect(access().check(undefined)).toBe('off');
    expect(access().check(`Bearer ${TOKEN}`)).toBe('off');
  });

  it('grants the exact bearer token only', () => {
    const check = access({ METRICS_TOKEN: TOKEN });
    expect(check.check(`Bearer ${TOKEN}`)).toBe('granted');
    expect(check.check(`bearer ${TOKEN}`)).toBe('granted');
    for (const header of [
      undefined,
      '',
      TOKEN,
      `Bearer ${TOKEN.slice(1)}`,
      `Bearer ${TOKEN}a`,
      `Bearer ${TOKEN} ${TOKEN}`,
      `Basic ${TOKEN}`,
      'Bearer ',
    ]) {
      expect({ header, verdict: check.check(header) }).toEqual({ header, verdict: 'denied' });
    }
  });
});

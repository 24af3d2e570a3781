import { deliveryRetryDelayMs, newEventId } from './delivery-policy';

describe('delivery policy', () => {
  it('waits about 10 s, then about 60 s, within ±25 % jitter', () => {
    expect(deliveryRetryDelayMs(1, () => 0)).toBe(7_500);
    expect(deliveryRetryDelayMs(1, () => 1)).toBe(12_500);
    expect(deliveryRetryDelayMs(2, () => 0.5)).toBe(60_000);
    expect(deliveryRetryDelayMs(5, () => 0.5)).toBe(60_000);
  });

  it('issues distinct evt_ ids that fit the column', () => {
    const ids = new Set(Array.from({ length: 100 }, newEventId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^evt_[A-Za-z0-9_-]{22}$/);
  });
});

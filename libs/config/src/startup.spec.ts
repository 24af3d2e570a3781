import { developmentSettingWarnings } from './startup';

describe('developmentSettingWarnings', () => {
  it('warns about private destinations only when they are allowed', () => {
    expect(developmentSettingWarnings({ ALLOW_PRIVATE_DESTINATIONS: false })).toEqual([]);
    expect(developmentSettingWarnings({ ALLOW_PRIVATE_DESTINATIONS: true })).toEqual([
      expect.stringContaining('ALLOW_PRIVATE_DESTINATIONS is on'),
    ]);
  });
});

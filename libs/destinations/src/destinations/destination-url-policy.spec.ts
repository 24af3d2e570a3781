import { AppError } from '@intake/common';
import type { Resolver } from '../delivery';
import { vetDestinationUrl } from './destination-url-policy';

const publicResolver: Resolver = async () => [{ address: '93.184.215.14', family: 4 }];
const privateResolver: Resolver = async () => [{ address: '10.0.0.7', family: 4 }];
const failingResolver: Resolver = async () => {
  throw new Error('ENOTFOUND');
};

async function urlErrors(promise: Promise<string>): Promise<string[] | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).options.details?.url;
}

describe('vetDestinationUrl', () => {
  const strict = { allowPrivate: false, resolver: publicResolver };

  it('accepts public https URLs and returns their canonical form', async () => {
    await expect(vetDestinationUrl('webhook', 'https://Example.COM/hook', strict)).resolves.toBe(
      'https://example.com/hook',
    );
    await expect(
      vetDestinationUrl('slack', 'https://hooks.slack.com/services/T/B/x', strict),
    ).resolves.toBe('https://hooks.slack.com/services/T/B/x');
    await expect(
      vetDestinationUrl('discord', 'https://discordapp.com/api/webhooks/1/abc', strict),
    ).resolves.toBe('https://discordapp.com/api/webhooks/1/abc');
  });

  it('refuses http, credentials, private and unresolvable targets, naming url', async () => {
    expect(await urlErrors(vetDestinationUrl('webhook', 'http://example.com/', strict))).toEqual([
      'must use https',
    ]);
    expect(
      await urlErrors(vetDestinationUrl('webhook', 'https://u:p@example.com/', strict)),
    ).toEqual(['must not contain credentials']);
    for (const url of [
      'https://127.0.0.1/',
      'https://[::ffff:10.0.0.1]/',
      'https://169.254.169.254/',
    ]) {
      expect(await urlErrors(vetDestinationUrl('webhook', url, strict))).toEqual([
        'must resolve to a public address',
      ]);
    }
    const viaDns = { allowPrivate: false, resolver: privateResolver };
    const noDns = { allowPrivate: false, resolver: failingResolver };
    // The same answer for both, so that internal hostnames cannot be probed.
    expect(
      await urlErrors(vetDestinationUrl('webhook', 'https://intranet.example/', viaDns)),
    ).toEqual(await urlErrors(vetDestinationUrl('webhook', 'https://nothing.example/', noDns)));
  });

  it('pins Slack and Discord to their webhook hosts unless private destinations are allowed', async () => {
    expect(
      await urlErrors(vetDestinationUrl('slack', 'https://hooks.slack.com.evil.example/x', strict)),
    ).toEqual(['must be a https://hooks.slack.com/... URL for a slack destination']);
    expect(
      await urlErrors(vetDestinationUrl('discord', 'https://discord.com/channels/1', strict)),
    ).toHaveLength(1);
    await expect(
      vetDestinationUrl('slack', 'http://127.0.0.1:8080/slack', { allowPrivate: true }),
    ).resolves.toBe('http://127.0.0.1:8080/slack');
  });
});

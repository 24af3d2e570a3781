import { AppError } from '@intake/common';
import {
  bareHostname,
  DeliveryError,
  parseDestinationUrl,
  resolveVettedAddresses,
  type Resolver,
} from '../delivery';
import type { DestinationKind } from './create-destination.input';

export interface DestinationUrlPolicy {
  /** ALLOW_PRIVATE_DESTINATIONS: also lifts the Slack/Discord host rules, for local receivers. */
  allowPrivate: boolean;
  resolver?: Resolver;
}

/**
 * Incoming-webhook hosts of the chat services. Pinning them keeps a "slack" destination from
 * being a generic webhook under another name (and its payload from going anywhere else).
 */
const CHAT_HOSTS: Record<Exclude<DestinationKind, 'webhook'>, { hosts: string[]; path: string }> = {
  slack: { hosts: ['hooks.slack.com'], path: '/' },
  discord: { hosts: ['discord.com', 'discordapp.com'], path: '/api/webhooks/' },
};

const invalidUrl = (message: string) => AppError.validation({ url: [message] });

/**
 * Checks a destination URL when it is created, so the owner hears at once what the delivery
 * worker would refuse anyway (it checks again at every attempt: DNS can change). Returns
 * the canonical form to store. Refused and unresolvable hosts get the same message: telling
 * them apart would let a caller probe which internal hostnames exist.
 */
export async function vetDestinationUrl(
  type: DestinationKind,
  raw: string,
  policy: DestinationUrlPolicy,
): Promise<string> {
  let url: URL;
  try {
    url = parseDestinationUrl(raw, policy);
  } catch (error) {
    throw error instanceof DeliveryError
      ? invalidUrl(error.message.replace(/^Destination URL /, ''))
      : error;
  }
  if (type !== 'webhook' && !policy.allowPrivate) assertChatHost(type, url);
  try {
    await resolveVettedAddresses(bareHostname(url), policy);
  } catch (error) {
    if (error instanceof DeliveryError) throw invalidUrl('must resolve to a public address');
    throw error;
  }
  return url.href;
}

function assertChatHost(type: Exclude<DestinationKind, 'webhook'>, url: URL): void {
  const { hosts, path } = CHAT_HOSTS[type];
  const hostname = url.hostname.replace(/\.$/, '');
  if (!hosts.includes(hostname) || url.port !== '' || !url.pathname.startsWith(path)) {
    throw invalidUrl(`must be a https://${hosts[0]}${path}... URL for a ${type} destination`);
  }
}

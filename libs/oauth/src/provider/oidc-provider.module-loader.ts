import { importEsm } from '@intake/common';

/** oidc-provider 9 is ESM-only (see importEsm). */
export type OidcProviderModule = typeof import('oidc-provider');

let loaded: Promise<OidcProviderModule> | undefined;

export function loadOidcProvider(): Promise<OidcProviderModule> {
  loaded ??= importEsm<OidcProviderModule>('oidc-provider');
  return loaded;
}

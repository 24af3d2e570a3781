export * from './address-policy';
export * from './delivery-error';
export * from './safe-fetch';
export * from './ssrf-guard';
export * from './webhook-signature';

export * from './app-error';
export * from './error-codes';
export * from './error.filter';
export * from './to-error-response';

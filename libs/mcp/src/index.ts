export * from './mcp-caller';
export * from './mcp-server.factory';
export * from './mcp.module';
export * from './protected-resource-metadata';
export * from './tool-scopes';
export * from './untrusted-content';

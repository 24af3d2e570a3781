export * from './secret-box';
export * from './sealed-column';
export * from './key-rotation.service';
export * from './tokens';
export * from './crypto.module';

export * from './content-storage';
export * from './local-disk-storage';

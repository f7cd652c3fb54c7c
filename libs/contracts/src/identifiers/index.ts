export * from './states';
export * from './clues';
export * from './curp';
export * from './rfc';
export * from './clave';
export * from './decorators';

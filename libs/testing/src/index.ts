export * from './postgres';
export * from './wait';
export * from './kafka';
export * from './services';
export * from './zip';
export * from './service-stack';
export * from './compose';
export * from './xlsx-bombs';

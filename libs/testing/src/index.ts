export * from './postgres';
export * from './wait';
export * from './kafka';

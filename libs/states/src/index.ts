export * from './state-snapshot.entity';
export * from './migrations';
export * from './apply-stage-changed';
export * from './states.module';
export * from './state-code.pipe';

import { EventEmitter } from 'node:events';
import { RedisConnection } from 'bullmq';
import { tolerateErrorsAfterClose } from './redis-connection';

/** A RedisConnection without its constructor, which would start connecting. */
function bareConnection(): RedisConnection {
  const connection = Object.create(RedisConnection.prototype) as RedisConnection;
  EventEmitter.call(connection);
  return connection;
}

describe('tolerateErrorsAfterClose', () => {
  beforeAll(() => tolerateErrorsAfterClose());

  it('drops an error emitted after every listener is gone instead of throwing', () => {
    const connection = bareConnection();
    expect(connection.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe(false);
  });

  it('still delivers errors and other events to listeners', () => {
    const connection = bareConnection();
    const seen: unknown[] = [];
    connection.on('error', (err: Error) => seen.push(err.message));
    connection.on('ready', () => seen.push('ready'));
    expect(connection.emit('error', new Error('boom'))).toBe(true);
    connection.emit('ready');
    expect(seen).toEqual(['boom', 'ready']);
  });

  it('is applied once however often it is called', () => {
    const emit = RedisConnection.prototype.emit;
    tolerateErrorsAfterClose();
    expect(RedisConnection.prototype.emit).toBe(emit);
  });
});

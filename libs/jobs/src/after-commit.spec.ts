import type { QueryRunner, TransactionCommitEvent } from 'typeorm';
import { AfterCommitHooks } from './after-commit';

describe('AfterCommitHooks', () => {
  const event = (runner: { isTransactionActive: boolean }) =>
    ({ queryRunner: runner as QueryRunner }) as TransactionCommitEvent;

  it('runs callbacks once, after the outermost commit only', () => {
    const hooks = new AfterCommitHooks();
    const runner = { isTransactionActive: true };
    const calls: string[] = [];
    hooks.add(runner as QueryRunner, () => calls.push('a'));
    hooks.add(runner as QueryRunner, () => calls.push('b'));

    hooks.afterTransactionCommit(event(runner)); // a savepoint released: still inside the transaction
    expect(calls).toEqual([]);

    runner.isTransactionActive = false;
    hooks.afterTransactionCommit(event(runner));
    hooks.afterTransactionCommit(event(runner));
    expect(calls).toEqual(['a', 'b']);
  });

  it('forgets callbacks when the transaction rolls back', () => {
    const hooks = new AfterCommitHooks();
    const runner = { isTransactionActive: false };
    const calls: string[] = [];
    hooks.add(runner as QueryRunner, () => calls.push('a'));
    hooks.afterTransactionRollback(event(runner));
    hooks.afterTransactionCommit(event(runner));
    expect(calls).toEqual([]);
  });
});

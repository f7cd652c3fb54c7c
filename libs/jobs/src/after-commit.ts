import type {
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/**
 * Runs callbacks once the outermost transaction of a query runner commits, and forgets them if
 * it rolls back. Registered as a TypeORM subscriber on the service's DataSource.
 */
export class AfterCommitHooks implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, (() => void)[]>();

  /** Calls `callback` after `runner`'s transaction commits. */
  add(runner: QueryRunner, callback: () => void): void {
    const callbacks = this.pending.get(runner);
    if (callbacks) callbacks.push(callback);
    else this.pending.set(runner, [callback]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // Releasing a savepoint also fires this; only the outermost commit makes the rows visible.
    if (event.queryRunner.isTransactionActive) return;
    const callbacks = this.pending.get(event.queryRunner) ?? [];
    this.pending.delete(event.queryRunner);
    callbacks.forEach((callback) => callback());
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // A savepoint rollback keeps the outer transaction's callbacks: a job whose row was rolled
    // back to a savepoint is enqueued anyway and skipped by the worker, which finds no record.
    if (event.queryRunner.isTransactionActive) return;
    this.pending.delete(event.queryRunner);
  }
}

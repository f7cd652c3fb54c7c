import { testClient } from './postgres';
import { waitFor } from './wait';

describe('testClient', () => {
  it('reports a connection the server drops through the pending query only, never as an uncaught error', async () => {
    const victim = testClient('postgres');
    const admin = testClient('postgres');
    try {
      await victim.connect();
      await admin.connect();
      const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const sleeping = victim.query('SELECT pg_sleep(30)');
      await waitFor(
        async () =>
          (
            await admin.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%pg_sleep%'`,
              [pid],
            )
          ).rowCount === 1,
        { timeoutMs: 10000, what: 'the sleeping query to be terminated' },
      );
      await expect(sleeping).rejects.toThrow(/terminat/i);
      await new Promise((resolve) => setTimeout(resolve, 200)); // pg emits 'error' after failing the query: unheard, Jest fails the test on it
      await expect(victim.query('SELECT 1')).rejects.toThrow();
    } finally {
      await victim.end().catch(() => undefined);
      await admin.end();
    }
  });
});

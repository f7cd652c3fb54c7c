import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..');

/** Broker address used by integration tests. */
export const testBrokers = [`127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`];

/** A topic or group name no other test run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Runs infra/kafka/kafka.sh with a subcommand (start, stop, kill, wait, status). */
export async function kafkaCtl(command: 'start' | 'stop' | 'kill' | 'wait' | 'status'): Promise<string> {
  const { stdout } = await run('bash', [join(repoRoot, 'infra', 'kafka', 'kafka.sh'), command], {
    env: process.env,
    timeout: 180000,
  });
  return stdout;
}

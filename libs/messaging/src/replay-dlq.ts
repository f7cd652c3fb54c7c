import { createKafka } from './kafka';
import { replayDeadLetters } from './replay';

// Command line: node libs/messaging/dist/replay-dlq.js <consumer-group>
async function main(): Promise<void> {
  const group = process.argv[2];
  if (!group || !/^[a-z0-9.-]+$/.test(group)) {
    console.error('usage: replay-dlq <consumer-group>   (e.g. hr.state-transfer)');
    process.exit(2);
  }
  const kafka = createKafka({ clientId: 'dlq-replay' });
  const result = await replayDeadLetters(kafka, group);
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * Kafka topics, named `<service>.<aggregate>.v<N>` (CONTRACT.md). The version is the topic's
 * layout; each event type on it carries its own version too.
 */
export const Topics = {
  /** Everything about one state's transfer process; key = state code. */
  TransferStateTransfer: 'transfer.state-transfer.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** Dead-letter topic of a consumer group. */
export function deadLetterTopic(groupId: string): string {
  return `${groupId}.dlq`;
}

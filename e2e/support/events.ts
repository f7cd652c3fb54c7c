import { EventDefinition, createEvent, eventKey } from '@imb/contracts';
import { EventProducer, createKafka, eventHeaders } from '@imb/messaging';

/**
 * Plays another service in an end-to-end test: sends its events, as proper CloudEvents, to the
 * namespaced topic the service under test consumes.
 */
export class TestEventSource {
  private readonly producer = new EventProducer(createKafka({ clientId: 'e2e-event-source' }));

  constructor(private readonly namespace: string) {}

  async send<T extends object>(def: EventDefinition<T>, data: T, actor = `system:${def.source}`): Promise<string> {
    const event = createEvent(def, data, { actor });
    await this.producer.send([
      { topic: `${this.namespace}.${def.topic}`, key: eventKey(def, event.data), value: JSON.stringify(event), headers: eventHeaders(event) },
    ]);
    return event.id;
  }

  close(): Promise<void> {
    return this.producer.disconnect();
  }
}

import { getMetadataStorage } from 'class-validator';
import { EVENT_CATALOGUE } from './catalogue';
import { describedFields } from './describe';

function fieldRows(cls: new () => object): string[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const props = new Map<string, { optional: boolean; rules: string[] }>();
  for (const m of metas) {
    const entry = props.get(m.propertyName) ?? { optional: false, rules: [] };
    if (m.type === 'conditionalValidation') entry.optional = true;
    else {
      const constraint = m.name ?? m.constraintCls?.name ?? m.type;
      const args = (m.constraints ?? []).filter((c) => typeof c !== 'object' || Array.isArray(c));
      entry.rules.push(args.length ? `${constraint}(${args.map((a) => JSON.stringify(a)).join(', ')})` : constraint);
    }
    props.set(m.propertyName, entry);
  }
  const docs = describedFields(cls);
  return [...props.entries()].map(
    ([name, p]) => `| \`${name}\` | ${p.optional ? 'no' : 'yes'} | ${p.rules.join(', ')} | ${docs.get(name) ?? ''} |`,
  );
}

/** Renders the event catalogue as Markdown (the content of docs/events.md). */
export function renderEventsDoc(): string {
  const lines = [
    '# Event catalogue',
    '',
    '_Generated from `libs/contracts` by `npm run docs:events`; do not edit by hand (a test fails when it is stale)._',
    '',
    'Every message is a CloudEvents 1.0 event in JSON structured mode: `specversion`, `id` (UUID), `source`',
    '(`/imb/<service>`), `type` (`<service>.<event>.v<N>`), `time`, `subject`, `datacontenttype`, `data`, and the',
    'extensions `statecode`, `correlationid`, `causationid` and `actor` (CloudEvents wants extension names in lower',
    'case). The Kafka key is the aggregate id, so one aggregate’s events are consumed in order. A consumer that',
    'cannot process an event after bounded retries sends it to `<consumer-group>.dlq`.',
    '',
    '| type | topic | key | consumers |',
    '| --- | --- | --- | --- |',
    ...EVENT_CATALOGUE.map((d) => `| [\`${d.type}\`](#${d.type.replace(/\./g, '')}) | \`${d.topic}\` | \`${String(d.keyField)}\` | ${d.consumers.join(', ')} |`),
    '',
  ];
  for (const d of EVENT_CATALOGUE) {
    lines.push(
      `## ${d.type}`,
      '',
      d.description,
      '',
      `Topic \`${d.topic}\`, produced by \`${d.source}\`, payload class \`${d.payload.name}\`.`,
      '',
      '| field | required | rules | meaning |',
      '| --- | --- | --- | --- |',
      ...fieldRows(d.payload),
      '',
    );
  }
  return lines.join('\n');
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventsDoc } from './events-doc';

// Writes docs/events.md at the repository root from the event catalogue.
const target = join(__dirname, '..', '..', '..', 'docs', 'events.md');
writeFileSync(target, renderEventsDoc());
console.log(`wrote ${target}`);

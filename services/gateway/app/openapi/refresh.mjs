// npm run openapi: reads the gateway's merged OpenAPI document from a running stack (GATEWAY_URL,
// default http://127.0.0.1:3000: `npm run up` starts one), writes it to openapi/openapi.json with
// its keys sorted (so a change reads as a small diff), and regenerates src/api/schema.d.ts from it.
// e2e/web-app.e2e-spec.ts fails when the live document differs from the committed one.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..', '..');
const target = join(here, 'openapi.json');
const gateway = (process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

/** `value` with the keys of every object in alphabetical order (arrays keep theirs: it means something). */
const sortKeys = (value) =>
  Array.isArray(value)
    ? value.map(sortKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, sortKeys(value[key])]),
        )
      : value;

let response;
try {
  response = await fetch(`${gateway}/api/docs-json`);
} catch (error) {
  console.error(
    `openapi: no gateway answers at ${gateway} (${error.cause?.code ?? error.message}); start one with \`npm run up\` or set GATEWAY_URL.`,
  );
  process.exit(1);
}
if (!response.ok) {
  console.error(`openapi: ${gateway}/api/docs-json answered ${response.status}`);
  process.exit(1);
}
const document = await response.json();
const missing = document['x-missing-services'] ?? [];
if (missing.length) {
  console.error(
    `openapi: the document is incomplete, the gateway could not read ${missing.join(', ')}: start every service and try again.`,
  );
  process.exit(1);
}
writeFileSync(target, `${JSON.stringify(sortKeys(document), null, 2)}\n`);
console.log(
  `openapi: wrote ${relative(root, target)} (${Object.keys(document.paths).length} paths) from ${gateway}`,
);
execFileSync('npx', ['nx', 'run', '@imb/gateway-app:api-types', '--skip-nx-cache', '--output-style=static'], {
  cwd: root,
  stdio: 'inherit',
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Hygiene: no secrets in the repository. infra/scripts/hygiene.sh scans every file git tracks;
 * here it runs on this checkout (must pass) and on a scratch repository with one planted secret
 * of each kind (each must be caught). The secrets below are assembled at run time so that this
 * file itself holds none.
 */
const SCRIPT = join(__dirname, '..', '..', 'infra', 'scripts', 'hygiene.sh');
const REPO = join(__dirname, '..', '..');

function scan(dir: string): { status: number | null; output: string } {
  const run = spawnSync('bash', [SCRIPT, dir], { encoding: 'utf8', timeout: 60000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function scratchRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'imb-hygiene-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const git = (...args: string[]) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  return dir;
}

const dash = '-----';
const PLANTED: Record<string, { file: string; text: string; caught: RegExp }> = {
  'a private key': { file: 'keys/service.pem', text: `${dash}BEGIN RSA PRIVATE KEY${dash}\nMIIEow\n${dash}END RSA PRIVATE KEY${dash}\n`, caught: /key or token: keys\/service\.pem/ },
  'an AWS key id': { file: 'src/aws.ts', text: `const id = '${'AKIA'}${'ABCDEFGHIJKLMNOP'}';\n`, caught: /key or token: src\/aws\.ts/ },
  'a GitHub token': { file: 'ci/token.txt', text: `${'ghp_'}${'a'.repeat(36)}\n`, caught: /key or token: ci\/token\.txt/ },
  'a signed JWT': { file: 'docs/example.md', text: `Bearer ${'eyJ'}hbGciOiJIUzI1NiJ9.${'eyJ'}zdWIiOiJhbmEiLCJyb2xlcyI6W119.c2lnbmF0dXJlLXNpZ25hdHVyZQ\n`, caught: /key or token: docs\/example\.md/ },
  'a committed .env': { file: 'services/hr/.env', text: 'LOG_LEVEL=info\n', caught: /committed environment file: services\/hr\/\.env/ },
  'a password in a URL': { file: 'src/db.ts', text: `const url = 'postgres://hr:${'Sup3r'}S3cret@db.internal:5432/hr';\n`, caught: /password in a URL: src\/db\.ts:1/ },
  'a secret setting in YAML': { file: 'deploy/values.yaml', text: `db:\n  POSTGRES_PASSWORD: ${'hunter'}2-production\n`, caught: /secret setting: deploy\/values\.yaml/ },
  'a secret setting in JSON': { file: 'config/app.json', text: `{ "apiToken": "${'tok'}-4f9a1c" }\n`, caught: /secret setting: config\/app\.json/ },
};

describe('hygiene: no secrets in the repository', () => {
  it('finds none in the files this repository tracks', () => {
    const { status, output } = scan(REPO);
    console.log(output.trim());
    expect(output).toMatch(/no secrets found/);
    expect(status).toBe(0);
  });

  it.each(Object.keys(PLANTED))('catches %s', (kind) => {
    const planted = PLANTED[kind];
    const dir = scratchRepo({ 'README.md': '# scratch\n', [planted.file]: planted.text });
    try {
      const { status, output } = scan(dir);
      expect(status).toBe(1);
      expect(output).toMatch(planted.caught);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts the documented development conventions', () => {
    const dir = scratchRepo({
      'docker-compose.yml': 'services:\n  hr:\n    environment:\n      DATABASE_URL: postgres://hr:hr@postgres:5432/hr\n      POSTGRES_PASSWORD: postgres\n',
      'docs/config.md': 'DATABASE_URL=postgres://user[:password]@host:port/database\n',
      '.env.example': 'AUTH_DEV_SECRET=\n',
      // An OpenAPI document names tokens as schemas and properties, never their values.
      'api/openapi.json': '{\n  "DevTokenResponseDto": {\n    "properties": {\n      "accessToken": {\n        "type": "string"\n      }\n    }\n  }\n}\n',
    });
    try {
      expect(scan(dir)).toMatchObject({ status: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

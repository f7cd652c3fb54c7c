import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeEnvironment, readCompose, unreachableAddresses } from '@imb/testing';

/**
 * docker-compose.yml runs the same stack as `npm run up` for people with a Docker engine. No
 * engine here, so this checks the file statically: its shape, that every address a service is
 * given names a service of the file on its port, and that only the gateway is published. Each
 * service's own config.spec.ts also loads its real configuration classes with this environment.
 */
const root = join(__dirname, '..');
const compose = readCompose();
const services = compose.services;

const INFRA = ['kafka', 'postgres', 'redis'];
const APPS: Record<string, number> = {
  transfer: 3101,
  hr: 3102,
  procurement: 3103,
  dignification: 3104,
  gateway: 3000,
};

describe('docker-compose.yml', () => {
  it('names the infrastructure and the five services, and nothing else', () => {
    expect(Object.keys(services).sort()).toEqual([...INFRA, ...Object.keys(APPS)].sort());
  });

  it('runs Kafka 3.9.x in KRaft mode, broker and controller in one node', () => {
    const kafka = services.kafka;
    expect(kafka.image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    const env = kafka.environment!;
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://kafka:9092');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    // KRaft cluster ids are 16 bytes, base64url without padding.
    expect(Buffer.from(String(env.CLUSTER_ID), 'base64url')).toHaveLength(16);
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe(1);
    expect(kafka.healthcheck?.test.join(' ')).toContain('kafka-broker-api-versions');
  });

  it('runs postgres:15 with the init script that creates the service roles and databases', () => {
    expect(services.postgres.image).toBe('postgres:15');
    const mount = services.postgres.volumes!.find((v) => v.includes('/docker-entrypoint-initdb.d/'));
    expect(mount).toMatch(/^\.\/infra\/db\/docker-init\.sql:/);
    // The per-database part it includes (\ir) must sit beside it in the container.
    expect(services.postgres.volumes).toContain(
      './infra/db/docker-init-schema.psql:/docker-entrypoint-initdb.d/docker-init-schema.psql:ro',
    );
    const sql = readFileSync(join(root, 'infra/db/docker-init.sql'), 'utf8');
    for (const name of Object.keys(APPS)) {
      expect(sql).toContain(`\\connect ${name}\n\\set owner ${name}\n\\set app ${name}_app\n\\ir docker-init-schema.psql\n`);
    }
    expect(sql).toContain("'{transfer,hr,procurement,dignification,gateway}'");
  });

  it('runs redis:7 without persistence', () => {
    expect(services.redis.image).toMatch(/^redis:7/);
    expect(services.redis.command).toEqual(expect.arrayContaining(['--save', '', '--appendonly', 'no']));
  });

  it('gives every infrastructure container a healthcheck', () => {
    for (const name of INFRA) expect(services[name].healthcheck?.test.length).toBeGreaterThan(0);
  });

  describe.each(Object.entries(APPS))('%s', (name, port) => {
    const svc = services[name];

    it('is built from infra/docker/Dockerfile with SERVICE set to its name', () => {
      expect(svc.build).toEqual({
        context: '.',
        dockerfile: 'infra/docker/Dockerfile',
        args: { SERVICE: name },
      });
    });

    it(`listens on port ${port}`, () => {
      expect(Number(svc.environment!.PORT)).toBe(port);
    });

    it('waits for healthy PostgreSQL, Redis and Kafka', () => {
      for (const infra of INFRA) expect(svc.depends_on?.[infra]).toEqual({ condition: 'service_healthy' });
    });

    it('reaches them by their compose host names, its own database as its own roles', () => {
      const env = svc.environment!;
      // Runs as the role that may only read and write rows; migrates as the owner.
      expect(env.DATABASE_URL).toBe(`postgres://${name}_app:${name}_app@postgres:5432/${name}`);
      expect(env.MIGRATIONS_DATABASE_URL).toBe(`postgres://${name}:${name}@postgres:5432/${name}`);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    });

    it('has a healthcheck on its own /health', () => {
      const test = svc.healthcheck!.test.join(' ');
      expect(test).toContain('process.env.PORT');
      expect(test).toContain('/health');
    });
  });

  it.each(Object.keys(APPS))('gives %s only addresses of services in the file, on their ports', (name) => {
    expect(unreachableAddresses(composeEnvironment(name))).toEqual([]);
  });

  it('routes the gateway to each service by its compose name (a missing URL would mean 127.0.0.1, the gateway itself)', () => {
    const env = composeEnvironment('gateway');
    for (const [name, port] of Object.entries(APPS).filter(([n]) => n !== 'gateway')) {
      expect(env[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${port}`);
    }
  });

  it('publishes only the gateway, on 127.0.0.1:3000 (the dev token issuer is on)', () => {
    const published = Object.entries(services).filter(([, s]) => s.ports && s.ports.length > 0);
    expect(published.map(([n]) => n)).toEqual(['gateway']);
    expect(services.gateway.ports).toEqual(['127.0.0.1:${GATEWAY_PORT:-3000}:3000']);
  });

  it('declares every named volume it mounts', () => {
    const named = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0])
      .filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    for (const v of named) expect(Object.keys(compose.volumes)).toContain(v);
  });
});

describe('infra/docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'infra/docker/Dockerfile'), 'utf8');

  it('takes the service as a build argument and starts with its migrations', () => {
    expect(dockerfile).toMatch(/^ARG SERVICE$/m);
    expect(dockerfile).toContain(
      'node services/$SERVICE/dist/migrate.js run && exec env -u MIGRATIONS_DATABASE_URL node services/$SERVICE/dist/main.js',
    );
  });

  it('runs on the Node major the project uses, as an unprivileged user', () => {
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=20\./m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('keeps local build output and state out of the build context', () => {
    const ignore = join(root, 'infra/docker/Dockerfile.dockerignore');
    expect(existsSync(ignore)).toBe(true);
    expect(readFileSync(ignore, 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', '.run']),
    );
  });
});

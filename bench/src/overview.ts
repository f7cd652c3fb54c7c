import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { ServiceStack, waitFor } from '@imb/testing';
import { BenchResult } from './report';

/** The part of autocannon's result this benchmark reads (the package ships no types). */
interface LoadResult {
  latency: { p50: number; p99: number; max: number };
  requests: { total: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<LoadResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const RATE = Number(process.env.BENCH_OVERVIEW_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_OVERVIEW_SECONDS ?? 10);

/** GET `url` at a fixed RATE for SECONDS with autocannon. */
function load(url: string, headers: Record<string, string> = {}): Promise<LoadResult> {
  return autocannon({ url, connections: 20, overallRate: RATE, duration: SECONDS, headers });
}

// A bare Node HTTP server answering the JSON read from its stdin; prints its port.
const RAW_SERVER = `
let body = '';
process.stdin.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => {
  const server = require('node:http').createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
});`;

/**
 * The same JSON from a bare Node HTTP server, in a process of its own like the gateway (in the
 * benchmark's own process it would skip the hop between processes, which on a loaded machine
 * costs more than the framework): what answering costs without any framework.
 */
async function rawServer(body: string): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, ['-e', RAW_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = new Promise<number>((resolve, reject) => {
    server.stdout.once('data', (line: Buffer) => resolve(Number(String(line).trim())));
    server.once('exit', (code) => reject(new Error(`the raw server exited (${code})`)));
  });
  server.stdin.end(body);
  return { server, url: `http://127.0.0.1:${await port}/` };
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere.
 * Latency on a shared machine moves with everyone else's load; CPU per request much less.
 */
function cpuMs(pid: number | undefined): number | null {
  const stat = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(stat)) return null;
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/**
 * The national overview through the gateway (transfer behind it, the read model kept from its
 * events): p50/p99 latency of GET /api/overview at 500 requests/s against the same autocannon
 * run on a raw Node server answering the same JSON; and the time from a stage-change command
 * (POST through the gateway) until GET /api/overview shows the new stage, against the command's
 * own round trip.
 */
export async function benchOverview(): Promise<BenchResult[]> {
  const stack = new ServiceStack('bench-overview');
  let raw: ChildProcess | undefined;
  try {
    const transfer = await stack.start('transfer', { LOG_LEVEL: 'warn' });
    const gateway = await stack.start('gateway', {
      TRANSFER_URL: transfer.url,
      LOG_LEVEL: 'warn',
      THROTTLE_LIMIT: String(RATE * SECONDS * 10),
    });
    const token = await new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' })).sign({
      sub: 'bench',
      roles: ['federal-coordinator'],
      states: [],
    });
    const auth = { authorization: `Bearer ${token}` };
    const overview = async () =>
      (await (await fetch(`${gateway.url}/api/overview`, { headers: auth })).json()) as {
        states: { stateCode: string; stage: string | null }[];
      };
    await waitFor(async () => (await overview()).states.every((s) => s.stage !== null), {
      timeoutMs: 60000,
      what: 'the 32 states in the overview',
    });

    // Read latency at a fixed rate, gateway then raw server.
    const body = await (await fetch(`${gateway.url}/api/overview`, { headers: auth })).text();
    await load(`${gateway.url}/api/overview`, auth); // warm-up (JIT, connections)
    const cpuBefore = cpuMs(gateway.process.pid);
    const viaGateway = await load(`${gateway.url}/api/overview`, auth);
    const cpuAfter = cpuMs(gateway.process.pid);
    const cpuPerRequest =
      cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / viaGateway.requests.total;
    if (viaGateway.non2xx || viaGateway.errors)
      throw new Error(`the gateway answered ${viaGateway.non2xx} non-2xx and ${viaGateway.errors} errors`);
    const started = await rawServer(body);
    raw = started.server;
    await load(started.url);
    const rawCpuBefore = cpuMs(raw.pid);
    const baseline = await load(started.url);
    const rawCpuAfter = cpuMs(raw.pid);
    const rawCpuPerRequest =
      rawCpuBefore === null || rawCpuAfter === null ? null : (rawCpuAfter - rawCpuBefore) / baseline.requests.total;

    // Stage changes (each a move back, which needs only a reason) until the overview shows them.
    const visible: number[] = [];
    const command: number[] = [];
    const path = ['PAYROLL', 'HANDOVER', 'ANNEXES', 'PUBLICATION', 'AGREEMENT', 'DIAGNOSIS'];
    const operating = (await overview()).states.filter((s) => s.stage === 'OPERATION').slice(0, 5);
    for (const state of operating) {
      for (const toStage of path) {
        const t0 = performance.now();
        const res = await fetch(`${gateway.url}/api/transfers/${state.stateCode}/advance`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ toStage, reason: 'benchmark: stage change to the national view' }),
        });
        if (res.status !== 200)
          throw new Error(`advance ${state.stateCode} → ${toStage}: ${res.status} ${await res.text()}`);
        command.push(performance.now() - t0);
        await waitFor(
          async () =>
            (await overview()).states.find((s) => s.stateCode === state.stateCode)?.stage === toStage,
          {
            timeoutMs: 30000,
            intervalMs: 5,
            what: `${state.stateCode} in ${toStage}`,
          },
        );
        visible.push(performance.now() - t0);
      }
    }
    const visibleP99 = percentile(visible, 99);
    const commandP99 = percentile(command, 99);
    return [
      {
        name: `national overview GET /api/overview through the gateway at ${RATE} req/s (p99) vs a raw Node server with the same JSON`,
        value: viaGateway.latency.p99,
        unit: 'ms',
        baseline: baseline.latency.p99,
        ratio: viaGateway.latency.p99 / Math.max(baseline.latency.p99, 1),
        target: 'p99 < 25 ms',
        met: viaGateway.latency.p99 < 25,
        notes: `gateway p50 ${viaGateway.latency.p50} ms, p99 ${viaGateway.latency.p99} ms, max ${viaGateway.latency.max} ms, ${viaGateway.requests.total} requests${cpuPerRequest === null ? '' : `, ${cpuPerRequest.toFixed(2)} ms CPU per request`}; raw p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms${rawCpuPerRequest === null ? '' : `, ${rawCpuPerRequest.toFixed(2)} ms CPU per request`}; ${body.length} bytes`,
      },
      {
        name: 'stage change command → visible in GET /api/overview (p99) vs the command’s own round trip',
        value: visibleP99,
        unit: 'ms',
        baseline: commandP99,
        ratio: visibleP99 / commandP99,
        target: 'p99 < 1000 ms',
        met: visibleP99 < 1000,
        notes: `${visible.length} stage changes; visible p50 ${percentile(visible, 50).toFixed(0)} ms, p99 ${visibleP99.toFixed(0)} ms; command p50 ${percentile(command, 50).toFixed(0)} ms`,
      },
    ];
  } finally {
    raw?.kill();
    await stack.stop();
  }
}

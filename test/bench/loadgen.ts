/**
 * The load generator of the HTTP benchmarks, run as its own process (never on the event loop it
 * measures): `tsx test/bench/loadgen.ts < spec.json` reads a LoadSpec from standard input,
 * drives autocannon against its URL cycling through the given requests, and prints one JSON line
 * with the figures.
 */
import autocannon from 'autocannon';
import type { LoadSpec, LoadResult } from './load';

async function readSpec(): Promise<LoadSpec> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text) as LoadSpec;
}

async function main(): Promise<void> {
  const spec = await readSpec();
  let n = 0;
  const next = () => spec.requests[n++ % spec.requests.length];
  autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: spec.seconds,
      requests: [{ setupRequest: (req: any) => ({ ...req, ...next() }) }],
    },
    (err: Error | null, res: autocannon.Result) => {
      if (err) throw err;
      const result: LoadResult = { requestsPerSec: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, non2xx: res.non2xx, errors: res.errors };
      console.log(JSON.stringify(result));
    },
  );
}

void main();

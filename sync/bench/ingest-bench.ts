// The registry under a fleet: `kiosks` simulated kiosks, each with its own credential and
// connection, each sending its batches one after the other, all at once. The registry runs in its
// own process; latency is measured at the kiosk, from send to validated answer.
import { HttpTransport } from '../client/transport.js';
import type { TestEngine } from '../registry/testing.js';
import { makeWireItem } from '../test/fixtures/payloads.js';
import type { WireItem } from '../wire/schemas.js';
import { kioskIdentity, startChildRegistry } from './fleet.js';

export interface IngestFigures {
  itemsPerSec: number;
  p99Ms: number;
  requests: number;
}

export interface IngestShape {
  kiosks: number;
  batchesPerKiosk: number;
  itemsPerBatch: number;
}

export async function benchIngest(engine: TestEngine, shape: IngestShape): Promise<IngestFigures> {
  const registry = await startChildRegistry(engine, shape.kiosks);
  const transports: HttpTransport[] = [];
  try {
    const fleet = registry.tokens.map((token, k) => {
      const identity = kioskIdentity(k);
      const transport = new HttpTransport({ registryUrl: registry.url, token });
      transports.push(transport);
      const batches = Array.from({ length: shape.batchesPerKiosk }, (_, b) =>
        Array.from({ length: shape.itemsPerBatch }, (_, i): WireItem => {
          const n = b * shape.itemsPerBatch + i;
          return { ...makeWireItem(k * 1_000_000 + n, identity), sequence: n + 1 };
        }),
      );
      return { kioskId: identity.kioskId, transport, batches };
    });
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      fleet.map(async ({ kioskId, transport, batches }) => {
        for (const items of batches) {
          const t0 = performance.now();
          const answer = await transport.send({ kioskId, sentAt: new Date().toISOString(), items });
          latencies.push(performance.now() - t0);
          const refused = answer.results.filter((r) => r.status !== 'accepted');
          if (refused.length > 0) throw new Error(`ingest: ${refused.length} items not accepted (${refused[0]?.reason?.code})`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const total = shape.kiosks * shape.batchesPerKiosk * shape.itemsPerBatch;
    const { enrollments } = await registry.stats();
    if (enrollments !== total) throw new Error(`ingest: the registry holds ${enrollments} of ${total} enrollments`);
    latencies.sort((a, b) => a - b);
    return {
      itemsPerSec: total / seconds,
      p99Ms: latencies[Math.ceil(latencies.length * 0.99) - 1] ?? NaN,
      requests: latencies.length,
    };
  } finally {
    await Promise.all(transports.map((t) => t.close()));
    await registry.close();
  }
}

// The registry under a fleet: `kiosks` simulated kiosks, each with its own credential and
// connection, each sending its batches one after the other, after one untimed warm-up batch each (a
// registry runs for months: its first second is not the burst's). Flat out (all at once) it gives the
// registry's capacity; paced at `itemsPerSec` it gives the latency at a given load. The registry runs
// in its own process; latency is measured at the kiosk up to the validated answer, from the moment
// the batch was due to be sent, so a registry that falls behind cannot hide its queue.
import { signedBatch } from '../proof/batch-signature.js';
import { HttpTransport } from '../client/transport.js';
import { testKioskKey } from '../test/fixtures/kiosk-keys.js';
import type { TestEngine } from '../../registry/test/fixtures/registry.js';
import { makeWireItem } from '../test/fixtures/payloads.js';
import type { BatchRequest, WireItem } from '../wire/schemas.js';
import { kioskIdentity, startChildRegistry, type ChildRegistry } from './fleet.js';

export interface IngestFigures {
  itemsPerSec: number;
  p99Ms: number;
  requests: number;
  /** CPU the registry process (all its threads) used per 1,000 items; PostgreSQL's own processes not counted. */
  registryCpuMsPer1000: number;
  /** CPU the simulated kiosks used per 1,000 items: on one machine they share the cores with the registry. */
  fleetCpuMsPer1000: number;
}

export interface IngestShape {
  kiosks: number;
  batchesPerKiosk: number;
  itemsPerBatch: number;
  /** The fleet's combined sending rate; absent: every kiosk sends as fast as it is answered. */
  itemsPerSec?: number;
  /**
   * 'batch' (kiosks today): each batch signed, the records' JWS detached; 'record' (kiosks before
   * signed batches): each record's JWS attached and verified on its own. Signed by the fleet, at send.
   */
  signing?: 'batch' | 'record';
}

export async function benchIngest(engine: TestEngine, shape: IngestShape): Promise<IngestFigures> {
  const registry = await startChildRegistry(engine, shape.kiosks);
  let run: Awaited<ReturnType<typeof driveFleet>>;
  let cpuMs = NaN;
  try {
    run = await driveFleet(registry, shape);
  } finally {
    ({ cpuMs } = await registry.close());
  }
  const { received, ...figures } = run;
  return { ...figures, registryCpuMsPer1000: (cpuMs / received) * 1000 };
}

async function driveFleet(
  registry: ChildRegistry,
  shape: IngestShape,
): Promise<Omit<IngestFigures, 'registryCpuMsPer1000'> & { received: number }> {
  const transports: HttpTransport[] = [];
  try {
    const fleet = registry.tokens.map((token, k) => {
      const identity = kioskIdentity(k);
      const http = new HttpTransport({ registryUrl: registry.url, token });
      transports.push(http);
      const key = testKioskKey(identity.kioskId);
      const transport = {
        send: (b: BatchRequest) => http.send(shape.signing === 'record' ? b : signedBatch(b, key)),
      };
      // Batch 0 warms the registry up (its code compiled, its connections open), untimed.
      const batches = Array.from({ length: shape.batchesPerKiosk + 1 }, (_, b) =>
        Array.from({ length: shape.itemsPerBatch }, (_, i): WireItem => {
          const n = b * shape.itemsPerBatch + i;
          return { ...makeWireItem(k * 1_000_000 + n, identity), sequence: n + 1 };
        }),
      );
      return { kioskId: identity.kioskId, transport, warmUp: batches[0] ?? [], batches: batches.slice(1) };
    });
    await Promise.all(
      fleet.map(({ kioskId, transport, warmUp }) => transport.send({ kioskId, sentAt: new Date().toISOString(), items: warmUp })),
    );
    const latencies: number[] = [];
    const started = performance.now();
    const fleetCpu = process.cpuUsage();
    // Paced: batch b of kiosk k is due at slot b * kiosks + k, so the fleet's sends interleave evenly.
    const slotMs = shape.itemsPerSec ? (shape.itemsPerBatch / shape.itemsPerSec) * 1000 : 0;
    await Promise.all(
      fleet.map(async ({ kioskId, transport, batches }, k) => {
        for (const [b, items] of batches.entries()) {
          const due = started + (b * shape.kiosks + k) * slotMs;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const t0 = slotMs > 0 ? due : performance.now();
          const answer = await transport.send({ kioskId, sentAt: new Date().toISOString(), items });
          latencies.push(performance.now() - t0);
          const refused = answer.results.filter((r) => r.status !== 'accepted');
          if (refused.length > 0) throw new Error(`ingest: ${refused.length} items not accepted (${refused[0]?.reason?.code})`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const fleetUsed = process.cpuUsage(fleetCpu);
    const total = shape.kiosks * shape.batchesPerKiosk * shape.itemsPerBatch;
    const received = total + shape.kiosks * shape.itemsPerBatch;
    const { enrollments } = await registry.stats();
    if (enrollments !== received) throw new Error(`ingest: the registry holds ${enrollments} of ${received} enrollments`);
    latencies.sort((a, b) => a - b);
    return {
      itemsPerSec: total / seconds,
      p99Ms: latencies[Math.ceil(latencies.length * 0.99) - 1] ?? NaN,
      requests: latencies.length,
      fleetCpuMsPer1000: ((fleetUsed.user + fleetUsed.system) / 1000 / total) * 1000,
      received,
    };
  } finally {
    await Promise.all(transports.map((t) => t.close()));
  }
}

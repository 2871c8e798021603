/**
 * A local OTLP/HTTP trace receiver for tests: listens on 127.0.0.1 (port 0) and records the
 * JSON body of every `POST /v1/traces` (gunzipped when the exporter compresses). Point
 * OTEL_EXPORTER_OTLP_ENDPOINT at `url`. Not a collector: it answers 200 and keeps bodies.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface OtlpReceiver<Body> {
  server: Server;
  /** `http://127.0.0.1:<port>` — the exporter appends /v1/traces. */
  url: string;
  /** Every body received, in arrival order. */
  bodies: Body[];
  close(): Promise<void>;
}

/** @example const otlp = await startOtlpReceiver<OtlpBody>(); env.OTEL_EXPORTER_OTLP_ENDPOINT = otlp.url; */
export async function startOtlpReceiver<Body = unknown>(): Promise<OtlpReceiver<Body>> {
  const bodies: Body[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const raw = Buffer.concat(chunks);
        const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString();
        bodies.push(JSON.parse(text) as Body);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

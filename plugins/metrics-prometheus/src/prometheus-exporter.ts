import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject, injectable } from 'inversify';
import { collectDefaultMetrics } from 'prom-client';
import { Logger, MetricsRegistry, type LifecycleContribution } from '@tessera/kernel';
import { PrometheusOptions } from './prometheus-options';

/** Serves the broker's registry at `GET /metrics` in Prometheus' text format. */
@injectable()
export class PrometheusExporter implements LifecycleContribution {
  readonly name = 'prometheus exporter';
  private server: Server | undefined;

  constructor(
    @inject(PrometheusOptions) private readonly options: PrometheusOptions,
    @inject(MetricsRegistry) private readonly registry: MetricsRegistry,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** The bound port (the configured one, or the one picked for 0); undefined before start. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onStart(): Promise<void> {
    if (this.options.processMetrics) collectDefaultMetrics({ register: this.registry });
    const server = createServer((request, response) => {
      const path = request.url?.split('?')[0];
      if (path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('only GET and HEAD\n');
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
        (error: unknown) => {
          this.logger.error({ err: error }, 'collecting metrics failed');
          response.writeHead(500, { 'content-type': 'text/plain' }).end('collecting metrics failed\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.info({ host: this.options.host, port: this.port }, 'Prometheus metrics at /metrics');
  }

  async onStop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

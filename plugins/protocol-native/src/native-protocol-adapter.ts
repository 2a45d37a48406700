import { createServer, type AddressInfo, type Server } from 'node:net';
import { inject, injectable } from 'inversify';
import { Logger, MetricsRegistry, type Endpoint, type ProtocolAdapter } from '@tessera/kernel';
import { HandlerTable } from './handler-table';
import { NativeConnection } from './native-connection';
import { NativeMetrics } from './native-metrics';
import { NativeProtocolOptions } from './native-protocol-options';

/** The native protocol's TCP listener: one NativeConnection per client. */
@injectable()
export class NativeProtocolAdapter implements ProtocolAdapter {
  readonly protocol = 'native';
  private server: Server | undefined;
  private readonly connections = new Set<NativeConnection>();
  private port = 0;
  private readonly metrics: NativeMetrics;

  constructor(
    @inject(NativeProtocolOptions) private readonly options: NativeProtocolOptions,
    @inject(HandlerTable) private readonly handlers: HandlerTable,
    @inject(Logger) private readonly logger: Logger,
    @inject(MetricsRegistry) metrics: MetricsRegistry,
  ) {
    this.metrics = new NativeMetrics(metrics, () => this.connections.size);
  }

  async start(): Promise<void> {
    const server = createServer({ noDelay: true }, (socket) => {
      const connection = new NativeConnection(socket, this.handlers, this.options, this.logger, this.metrics, (closed) => this.connections.delete(closed));
      this.connections.add(connection);
      this.metrics.connectionAccepted();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.logger.error({ err: error }, 'native protocol listener error'));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.logger.info({ host: this.options.host, port: this.port }, 'native protocol listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const deadline = Date.now() + this.options.drainTimeoutMs;
    await Promise.all([...this.connections].map((connection) => connection.drain(deadline)));
    await closed;
  }

  endpoints(): Endpoint[] {
    return [{ protocol: this.protocol, host: this.options.host, port: this.port }];
  }
}

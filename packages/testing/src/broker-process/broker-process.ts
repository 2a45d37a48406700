import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';
import { BROKER_NODE_FLAGS, requireBuiltCli, TESSERA_BIN } from './repo-paths';
import { waitForPort } from './wait-for-port';

export interface BrokerProcessOptions {
  dataDir: string;
  /** A free port is picked when absent; pass the old one to restart on the same address. */
  port?: number;
  /**
   * Without a config file the default distribution also serves MQTT (TCP and WebSocket): free
   * ports are picked for both unless given, so no test binds 1883/8083.
   */
  mqttPort?: number;
  mqttWsPort?: number;
  /** Likewise the default distribution's AMQP port. */
  amqpPort?: number;
  /** Likewise the default distribution's Prometheus /metrics port. */
  metricsPort?: number;
  configFile?: string;
  /**
   * Other ports the config file's plugins listen on: start waits for them too (the native
   * listener opens first, the MQTT and AMQP ones after recovering their state).
   */
  alsoListeningOn?: readonly number[];
  flush?: 'SYNC' | 'ASYNC';
  /** Working directory of the process (so no stray tessera.config.* is picked up). */
  cwd: string;
  startTimeoutMs?: number;
}

export interface BrokerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const OUTPUT_KEPT_CHARS = 64 * 1024;
const running = new Set<BrokerProcess>();
// Last resort if the test process dies without afterAll: never leave a broker behind.
process.once('exit', () => running.forEach((broker) => broker.killNow()));

/** A `tessera start` child process on 127.0.0.1, for tests and benchmarks. */
export class BrokerProcess {
  private outputTail = '';
  readonly exited: Promise<BrokerExit>;
  private exitInfo: BrokerExit | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    /** MQTT ports of the default distribution; undefined when a config file decides. */
    readonly mqttPort: number | undefined,
    readonly mqttWsPort: number | undefined,
    /** AMQP port of the default distribution; undefined when a config file decides. */
    readonly amqpPort: number | undefined,
    /** Prometheus /metrics port of the default distribution; undefined when a config file decides. */
    readonly metricsPort: number | undefined,
  ) {
    const collect = (chunk: Buffer) => {
      this.outputTail = (this.outputTail + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        running.delete(this);
        resolve(this.exitInfo);
      });
    });
  }

  static async start(options: BrokerProcessOptions): Promise<BrokerProcess> {
    requireBuiltCli();
    const port = options.port ?? (await freePort());
    const args = ['start', '--data-dir', options.dataDir, '--port', String(port)];
    let mqttPort: number | undefined;
    let mqttWsPort: number | undefined;
    let amqpPort: number | undefined;
    let metricsPort: number | undefined;
    if (options.configFile) {
      args.push('--config', options.configFile);
    } else {
      mqttPort = options.mqttPort ?? (await freePort());
      mqttWsPort = options.mqttWsPort ?? (await freePort());
      amqpPort = options.amqpPort ?? (await freePort());
      metricsPort = options.metricsPort ?? (await freePort());
      args.push('--mqtt-port', String(mqttPort), '--mqtt-ws-port', String(mqttWsPort), '--amqp-port', String(amqpPort));
      args.push('--metrics-port', String(metricsPort));
    }
    if (options.flush) args.push('--flush', options.flush);
    const child = spawn(process.execPath, [...BROKER_NODE_FLAGS, TESSERA_BIN, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const broker = new BrokerProcess(child, port, mqttPort, mqttWsPort, amqpPort, metricsPort);
    running.add(broker);
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    const listening = [port, mqttPort, mqttWsPort, amqpPort, metricsPort, ...(options.alsoListeningOn ?? [])].filter((p): p is number => p !== undefined);
    try {
      for (const awaited of listening) {
        await waitForPort(awaited, Math.max(0, deadline - Date.now()), () =>
          broker.exitInfo ? `the broker exited (${JSON.stringify(broker.exitInfo)}) before listening:\n${broker.output}` : undefined,
        );
      }
    } catch (error) {
      await broker.kill();
      throw new Error(`${(error as Error).message}\n--- broker output ---\n${broker.output}`);
    }
    return broker;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The last 64 KiB of what the process printed, for failure messages. */
  get output(): string {
    return this.outputTail;
  }

  /** SIGTERM: the ordered stop. Escalates to SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<BrokerExit> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Sends SIGKILL without waiting (for process exit handlers, which cannot wait). */
  killNow(): void {
    if (!this.exitInfo) this.child.kill('SIGKILL');
  }

  /** SIGKILL: a crash, nothing flushed on the way out. */
  async kill(): Promise<BrokerExit> {
    this.killNow();
    return this.exited;
  }
}

/** For afterAll: no test leaves a broker running, whatever failed. */
export async function killAllBrokers(): Promise<void> {
  await Promise.all([...running].map((broker) => broker.kill()));
}

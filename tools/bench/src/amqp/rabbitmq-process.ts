import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitForPort } from '@tessera/testing';
import type { RabbitMqInstallation } from './find-rabbitmq';

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const CTL_TIMEOUT_MS = 60_000;
const OUTPUT_KEPT_CHARS = 16 * 1024;
const LOOPBACK_ONLY_ERL_ARGS = '-kernel inet_dist_use_interface {127,0,0,1}';

/**
 * A RabbitMQ node of its own for side-by-side figures: Debian's scripts run directly (not the
 * /usr/sbin wrappers, which switch to the `rabbitmq` user), as whichever user runs the bench,
 * with everything in `dir` (HOME and its Erlang cookie, Mnesia, logs, config, enabled plugins),
 * the AMQP 1.0 plugin enabled offline, its own epmd, and the AMQP, distribution and epmd ports
 * free ones on 127.0.0.1 only. Its AMQP port speaks 0-9-1 and 1.0 (the plugin).
 */
export class RabbitMqProcess {
  private output = '';
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly installation: RabbitMqInstallation,
    private readonly env: NodeJS.ProcessEnv,
    private readonly node: ChildProcess,
    private readonly epmd: ChildProcess,
    readonly port: number,
    readonly nodeName: string,
  ) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS));
    node.stdout!.on('data', keep);
    node.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => node.once('exit', (code) => ((this.exitCode = code), resolve())));
  }

  static async start(installation: RabbitMqInstallation, dir: string): Promise<RabbitMqProcess> {
    mkdirSync(dir, { recursive: true });
    const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
    const nodeName = `bench-${process.pid}@localhost`;
    for (const file of ['rabbitmq.conf', 'rabbitmq-env.conf']) writeFileSync(join(dir, file), '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: dir,
      RABBITMQ_NODENAME: nodeName,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      ERL_EPMD_PORT: String(epmdPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_LOGS: '-',
      RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
      // An empty one, so /etc/rabbitmq/rabbitmq-env.conf does not apply.
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: LOOPBACK_ONLY_ERL_ARGS,
      RABBITMQ_CTL_ERL_ARGS: LOOPBACK_ONLY_ERL_ARGS,
    };
    runScript(installation, 'rabbitmq-plugins', ['enable', '--offline', 'rabbitmq_amqp1_0'], env);
    const epmd = spawn(installation.epmd, ['-port', String(epmdPort), '-address', '127.0.0.1'], { stdio: 'ignore' });
    // Its own process group, so a stop that hangs can kill the whole tree (beam, erl_child_setup…).
    const node = spawn(join(installation.binDir, 'rabbitmq-server'), [], { env, cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const broker = new RabbitMqProcess(installation, env, node, epmd, port, nodeName);
    try {
      await waitForPort(port, START_TIMEOUT_MS, () =>
        broker.exitCode !== undefined ? `rabbitmq-server exited (code ${broker.exitCode}) before listening on 127.0.0.1:${port}` : undefined,
      );
      // The listener opens before the plugins finished starting.
      broker.ctl(['await_startup']);
    } catch (error) {
      await broker.stop();
      throw new Error(`${(error as Error).message}\n--- rabbitmq-server output ---\n${broker.output}`);
    }
    return broker;
  }

  get pid(): number {
    return this.node.pid!;
  }

  /** E.g. `RabbitMQ 3.10.8 on Erlang/OTP 25`, asked of the running node. */
  version(): string {
    const rabbit = this.ctl(['version']).trim();
    const otp = this.ctl(['eval', 'erlang:system_info(otp_release).']).trim().replace(/"/g, '');
    return `RabbitMQ ${rabbit} on Erlang/OTP ${otp}`;
  }

  /** `rabbitmqctl stop`, then SIGKILL to its process group if it has not exited within 30 s; then its epmd. */
  async stop(): Promise<void> {
    if (this.exitCode === undefined) {
      try {
        this.ctl(['stop']);
      } catch {
        // not reachable: the kill below ends it
      }
      const timer = setTimeout(() => killGroup(this.node), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    this.epmd.kill('SIGTERM');
  }

  private ctl(args: readonly string[]): string {
    return runScript(this.installation, 'rabbitmqctl', args, this.env);
  }
}

function runScript(installation: RabbitMqInstallation, script: string, args: readonly string[], env: NodeJS.ProcessEnv): string {
  const run = spawnSync(join(installation.binDir, script), args, { env, cwd: env.HOME, encoding: 'utf8', timeout: CTL_TIMEOUT_MS });
  if (run.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (${run.error?.message ?? `exit code ${run.status}`}):\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

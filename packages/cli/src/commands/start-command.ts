import { Command, Option } from 'commander';
import { createBrokerFromConfig, installSignalHandlers } from '@tessera/kernel';
import { FLUSH_MODES, type FlushMode } from '../config/flush-mode';
import { resolveStartConfig } from '../config/resolve-start-config';
import { parsePort } from '../options/parse-port';
import { BrokerStartError } from './broker-start-error';

interface StartOptions {
  config?: string;
  dataDir?: string;
  port?: number;
  mqttPort?: number;
  mqttWsPort?: number;
  amqpPort?: number;
  metricsPort?: number;
  flush?: FlushMode;
}

export function startCommand(): Command {
  return new Command('start')
    .description('run a broker: --config FILE, else ./tessera.config.{json,yaml}, else the default single-node distribution')
    .option('--config <file>', 'broker config file (JSON or YAML)')
    .option('--data-dir <dir>', 'where the broker keeps its data (overrides broker.dataDir)')
    .option('--port <n>', 'native protocol port, 0 for a free one (overrides @tessera/protocol-native port)', (v) => parsePort('--port', v))
    .option('--mqtt-port <n>', 'MQTT port, 0 for a free one (overrides @tessera/protocol-mqtt port)', (v) => parsePort('--mqtt-port', v))
    .option('--mqtt-ws-port <n>', 'MQTT over WebSocket port, 0 for a free one (overrides @tessera/protocol-mqtt wsPort)', (v) =>
      parsePort('--mqtt-ws-port', v),
    )
    .option('--amqp-port <n>', 'AMQP 1.0 port, 0 for a free one (overrides @tessera/protocol-amqp port)', (v) => parsePort('--amqp-port', v))
    .option('--metrics-port <n>', 'Prometheus /metrics port, 0 for a free one (overrides @tessera/metrics-prometheus port)', (v) =>
      parsePort('--metrics-port', v),
    )
    .addOption(new Option('--flush <mode>', 'commitlog flush policy (overrides @tessera/store-commitlog flushMode)').choices(FLUSH_MODES))
    .action((options: StartOptions) => startBroker(options));
}

async function startBroker(options: StartOptions): Promise<void> {
  const resolved = resolveStartConfig(options, process.cwd());
  // The CLI depends on the default plugins, so they resolve from here even outside the repo.
  const runtime = createBrokerFromConfig(resolved.config, resolved.overrides, [__dirname]);
  try {
    await runtime.start();
  } catch (error) {
    await runtime.stop();
    throw BrokerStartError.from(error);
  }
  installSignalHandlers(runtime);
  runtime.logger.info({ config: resolved.source }, 'tessera is running; SIGTERM or Ctrl-C stops it');
}

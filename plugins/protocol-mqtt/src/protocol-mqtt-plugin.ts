import { ContainerModule } from 'inversify';
import { MessageHooks, ProtocolAdapter, type TesseraPlugin } from '@tessera/kernel';
import { ForeignProduceTracker } from './foreign-produce-tracker';
import { MqttProtocolAdapter } from './mqtt-protocol-adapter';
import { MqttProtocolOptions } from './mqtt-protocol-options';
import { mqttProtocolOptionsSchema } from './mqtt-protocol-options-schema';

/** MQTT 3.1/3.1.1 over TCP, TLS and WebSocket, on aedes, with every publish in Tessera's log. */
export const protocolMqttPlugin: TesseraPlugin<MqttProtocolOptions> = {
  name: '@tessera/protocol-mqtt',
  kind: 'protocol',
  optionsSchema: mqttProtocolOptionsSchema,
  createModule: (options) =>
    new ContainerModule(({ bind }) => {
      bind(MqttProtocolOptions).toConstantValue(options);
      bind(ForeignProduceTracker).toSelf().inSingletonScope();
      bind(MessageHooks).toService(ForeignProduceTracker);
      bind(ProtocolAdapter).to(MqttProtocolAdapter).inSingletonScope();
    }),
};

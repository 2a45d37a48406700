import { ContainerModule } from 'inversify';
import { ProtocolAdapter, type TesseraPlugin } from '@tessera/kernel';
import { AmqpProtocolAdapter } from './amqp-protocol-adapter';
import { AmqpProtocolOptions } from './amqp-protocol-options';
import { amqpProtocolOptionsSchema } from './amqp-protocol-options-schema';

/** AMQP 1.0 over TCP (and TLS), on rhea: queues and topics over Tessera's log. */
export const protocolAmqpPlugin: TesseraPlugin<AmqpProtocolOptions> = {
  name: '@tessera/protocol-amqp',
  kind: 'protocol',
  optionsSchema: amqpProtocolOptionsSchema,
  createModule: (options) =>
    new ContainerModule(({ bind }) => {
      bind(AmqpProtocolOptions).toConstantValue(options);
      bind(ProtocolAdapter).to(AmqpProtocolAdapter).inSingletonScope();
    }),
};

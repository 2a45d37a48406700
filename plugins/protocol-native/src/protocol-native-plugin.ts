import { ContainerModule } from 'inversify';
import { ProtocolAdapter, type TesseraPlugin } from '@tessera/kernel';
import { HandlerTable } from './handler-table';
import { NativeProtocolAdapter } from './native-protocol-adapter';
import { NativeProtocolOptions } from './native-protocol-options';
import { nativeProtocolOptionsSchema } from './native-protocol-options-schema';

/** The native framed TCP protocol that @tessera/client speaks. */
export const protocolNativePlugin: TesseraPlugin<NativeProtocolOptions> = {
  name: '@tessera/protocol-native',
  kind: 'protocol',
  optionsSchema: nativeProtocolOptionsSchema,
  createModule: (options) =>
    new ContainerModule(({ bind }) => {
      bind(NativeProtocolOptions).toConstantValue(options);
      bind(HandlerTable).toSelf().inSingletonScope();
      bind(ProtocolAdapter).to(NativeProtocolAdapter).inSingletonScope();
    }),
};

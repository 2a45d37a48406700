import { ContainerModule } from 'inversify';
import { CoordinationService, type TesseraPlugin } from '@tessera/kernel';
import { LocalCoordinationService } from './local-coordination-service';

/** Embedded single-node coordination: the default distribution's CoordinationService. */
export const coordinationLocalPlugin: TesseraPlugin<Record<string, never>> = {
  name: '@tessera/coordination-local',
  kind: 'coordination',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind(CoordinationService).to(LocalCoordinationService).inSingletonScope();
    }),
};

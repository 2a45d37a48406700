import { TesseraPersistence, type TesseraPersistenceOptions } from './tessera-persistence';

/**
 * The persistence to hand to aedes: `const persistence = createTesseraPersistence({ broker, logger });
 * await persistence.open(); const aedes = await Aedes.createBroker({ persistence });`. Open it
 * before aedes starts (recovery must finish first); aedes calls setup() and, at close, destroy().
 */
export function createTesseraPersistence(options: TesseraPersistenceOptions): TesseraPersistence {
  return new TesseraPersistence(options);
}

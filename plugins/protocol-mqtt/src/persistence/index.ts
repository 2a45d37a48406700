export * from './create-tessera-persistence';
export * from './mqtt-journal';
export * from './persisted-packet';
export * from './tessera-persistence';

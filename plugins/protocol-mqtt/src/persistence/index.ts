export * from './create-tessera-persistence';
export * from './mqtt-journal-topic';
export * from './persisted-packet';
export * from './session-timers-record';
export * from './tessera-persistence';

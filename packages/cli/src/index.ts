export * from './program/create-program';
export * from './config/default-distribution';
export * from './config/resolve-start-config';

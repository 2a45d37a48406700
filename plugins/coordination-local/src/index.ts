export { coordinationLocalPlugin as plugin, coordinationLocalPlugin } from './coordination-local-plugin';
export * from './local-coordination-service';

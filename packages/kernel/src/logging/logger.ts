import pino from 'pino';

export const Logger = Symbol.for('tessera.Logger');
export type Logger = pino.Logger;

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({ level: options.level ?? process.env.TESSERA_LOG_LEVEL ?? 'info', name: options.name ?? 'tessera' });
}

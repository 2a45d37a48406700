// rhea's loggers (debug instances), one module shared by all of rhea.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rheaLogs = require('rhea/lib/log.js') as Record<string, { (...args: unknown[]): void; enabled: boolean }>;

function skip(): void {}
skip.enabled = false;

/**
 * Replaces each rhea logger that is off (DEBUG does not name it at start) with a function that
 * does nothing: rhea calls them several times per frame and message, and each call of a disabled
 * `debug` still goes through its `enabled` getter (about 1% of the broker's CPU at full AMQP load).
 * A logger DEBUG turns on keeps working; turning one on later (debug.enable) does not reach rhea.
 */
export function skipDisabledRheaLogs(): void {
  for (const name of Object.keys(rheaLogs)) {
    if (!rheaLogs[name]!.enabled) rheaLogs[name] = skip;
  }
}

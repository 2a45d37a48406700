import { ConfigError, ErrorCode, parseDuration, SystemProperties, TesseraError } from '@tessera/kernel';
import type { DelayOptions } from './delay-options';

const { DELAY_LEVEL, DELIVER_AT, DELAY_MS } = SystemProperties;
const WHOLE_NUMBER = /^\d{1,16}$/;

/** What a message may ask for: a delay level, a delay in ms, or a time; checked strictly. */
export class DelayPolicy {
  readonly levelsMs: readonly number[];
  readonly maxDelayMs: number;

  constructor(options: Pick<DelayOptions, 'levels' | 'maxDelayMs'>) {
    this.maxDelayMs = options.maxDelayMs;
    this.levelsMs = options.levels.map((level, index) => {
      const ms = parseDuration(level);
      if (ms === undefined) {
        throw new ConfigError(`feature-delay levels[${index}]: "${level}" is not a duration like 500ms, 5s, 2m, 1h or 1d`, `levels.${index}`);
      }
      if (ms > options.maxDelayMs) {
        throw new ConfigError(`feature-delay levels[${index}]: ${level} is longer than maxDelayMs (${options.maxDelayMs} ms)`, `levels.${index}`);
      }
      return ms;
    });
  }

  /**
   * When a message with these properties is due (ms since epoch, never before `now`), or
   * undefined when it asks for no delay. Throws BAD_REQUEST naming the property at fault.
   */
  dueTimeOf(properties: Readonly<Record<string, string>>, now: number): number | undefined {
    const level = properties[DELAY_LEVEL];
    const delayMs = properties[DELAY_MS];
    const deliverAt = properties[DELIVER_AT];
    const asked = (level !== undefined ? 1 : 0) + (delayMs !== undefined ? 1 : 0) + (deliverAt !== undefined ? 1 : 0);
    if (asked === 0) return undefined;
    if (asked > 1) {
      const names = [DELAY_LEVEL, DELAY_MS, DELIVER_AT].filter((name) => properties[name] !== undefined);
      throw badRequest(`a message may ask for one of ${DELAY_LEVEL}, ${DELAY_MS} and ${DELIVER_AT}; this one has ${names.join(' and ')}`);
    }
    if (level !== undefined) {
      const index = WHOLE_NUMBER.test(level) ? Number(level) - 1 : -1;
      if (!(index >= 0 && index < this.levelsMs.length)) {
        throw badRequest(`${DELAY_LEVEL} must be a delay level from 1 to ${this.levelsMs.length}, got ${JSON.stringify(level)}`);
      }
      return now + this.levelsMs[index]!;
    }
    if (delayMs !== undefined) {
      const ms = this.wholeNumber(DELAY_MS, delayMs, 'a delay in ms');
      if (ms > this.maxDelayMs) throw badRequest(`${DELAY_MS} is ${ms} ms, more than the longest delay allowed (maxDelayMs ${this.maxDelayMs})`);
      return now + ms;
    }
    const at = this.wholeNumber(DELIVER_AT, deliverAt!, 'a time in ms since the epoch');
    if (at - now > this.maxDelayMs) {
      throw badRequest(`${DELIVER_AT} ${new Date(at).toISOString()} is further ahead than the longest delay allowed (maxDelayMs ${this.maxDelayMs})`);
    }
    return Math.max(at, now);
  }

  private wholeNumber(name: string, value: string, what: string): number {
    if (!WHOLE_NUMBER.test(value)) throw badRequest(`${name} must be ${what} (a whole number), got ${JSON.stringify(value)}`);
    return Number(value);
  }
}

function badRequest(message: string): TesseraError {
  return new TesseraError(ErrorCode.BAD_REQUEST, message);
}

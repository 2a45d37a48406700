import { skipDisabledRheaLogs } from './skip-disabled-rhea-logs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rheaLogs = require('rhea/lib/log.js') as Record<string, { (...args: unknown[]): void; enabled: boolean | null }>;

describe('skipDisabledRheaLogs', () => {
  it('replaces the loggers that are off and keeps one that is on', () => {
    const frames = rheaLogs.frames!;
    const events = rheaLogs.events!;
    // debug's own override, as DEBUG=rhea:frames would turn it on.
    frames.enabled = true;
    try {
      expect(events.enabled).toBeFalsy();
      skipDisabledRheaLogs();
      expect(rheaLogs.frames).toBe(frames);
      expect(rheaLogs.events).not.toBe(events);
      expect(rheaLogs.events!.enabled).toBe(false);
      expect(() => rheaLogs.events!('%s', 'ignored')).not.toThrow();
    } finally {
      frames.enabled = null;
    }
  });
});

import { SystemProperties } from '@tessera/kernel';
import { withoutRedeliveryMarkers } from './without-redelivery-markers';

describe('withoutRedeliveryMarkers', () => {
  it("keeps the producer's properties and drops retry, dead-letter and scheduling markers", () => {
    const markers = Object.fromEntries(
      [
        SystemProperties.DELAY_LEVEL,
        SystemProperties.DELIVER_AT,
        SystemProperties.DELAY_MS,
        SystemProperties.REAL_TOPIC,
        SystemProperties.REAL_QUEUE_ID,
        SystemProperties.ORIGIN_MSG_ID,
        SystemProperties.FAILURE_COUNT,
        SystemProperties.FAILURE_REASON,
      ].map((name) => [name, '1']),
    );
    expect(withoutRedeliveryMarkers({ region: 'eu', trace: 'abc', ...markers })).toEqual({ region: 'eu', trace: 'abc' });
  });
});

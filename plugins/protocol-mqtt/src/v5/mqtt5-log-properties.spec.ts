import { logPropertiesOf, publishFieldsOf } from './mqtt5-log-properties';

describe('MQTT 5 properties in the log', () => {
  it('round-trips content type, response topic, correlation data, payload format, user properties and expiry', () => {
    const logged = logPropertiesOf({
      properties: {
        contentType: 'application/json',
        responseTopic: 'reply/1',
        correlationData: Buffer.from([0, 255, 7]),
        payloadFormatIndicator: true,
        userProperties: { region: 'eu', tag: ['a', 'b'] },
      },
      messageExpiry: 1_700_000_000_000,
    });
    expect(logged).toEqual({
      'mqtt.contentType': 'application/json',
      'mqtt.responseTopic': 'reply/1',
      'mqtt.correlationData': 'AP8H',
      'mqtt.payloadFormat': '1',
      'mqtt.user.region': 'eu',
      'mqtt.user.tag': 'b',
      'mqtt.expiresAt': '1700000000000',
    });
    expect(publishFieldsOf({ ...logged, 'mqtt.topic': 'x', other: 'y' })).toEqual({
      properties: {
        contentType: 'application/json',
        responseTopic: 'reply/1',
        correlationData: Buffer.from([0, 255, 7]),
        payloadFormatIndicator: true,
        userProperties: { region: 'eu', tag: 'b' },
      },
      messageExpiry: 1_700_000_000_000,
    });
  });

  it('adds nothing for a 3.1.1 publish or a message without MQTT 5 properties', () => {
    expect(logPropertiesOf({})).toEqual({});
    expect(publishFieldsOf({ 'mqtt.topic': 'a', 'mqtt.expiresAt': 'soon' })).toEqual({});
  });
});

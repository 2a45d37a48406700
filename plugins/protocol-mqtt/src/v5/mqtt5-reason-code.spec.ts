import { connackReasonCodeOf, subackReasonCodeOf } from './mqtt5-reason-code';

describe('MQTT 5 reason codes', () => {
  it("maps aedes' 3.1.1 CONNACK return codes", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(connackReasonCodeOf)).toEqual([0x00, 0x84, 0x85, 0x88, 0x86, 0x87, 0x80]);
  });

  it('turns a refused subscription (128) into 0x87, or 0x8F for a malformed shared filter, and keeps granted QoS', () => {
    expect([0, 1, 2, 128].map((granted) => subackReasonCodeOf(granted, 'a/b'))).toEqual([0, 1, 2, 0x87]);
    expect(subackReasonCodeOf(128, '$share/g/a')).toBe(0x87);
    expect(subackReasonCodeOf(128, '$share/g')).toBe(0x8f);
    expect(subackReasonCodeOf(1, '$share/g/a')).toBe(1);
  });
});

import { Mqtt5ProtocolError } from './mqtt5-protocol-error';
import { OutboundFlowControl } from './outbound-flow-control';

describe('OutboundFlowControl', () => {
  it('lets receiveMaximum packets through, holds the rest in order and releases one per acknowledgement', () => {
    const flow = new OutboundFlowControl<{ messageId: number }>(2, 10);
    expect([1, 2, 3, 4].map((messageId) => flow.offer({ messageId }))).toEqual([true, true, false, false]);
    expect(flow.inflightCount).toBe(2);
    expect(flow.release(1)).toEqual([{ messageId: 3 }]);
    expect(flow.release(99)).toEqual([]);
    expect(flow.release(2)).toEqual([{ messageId: 4 }]);
    expect(flow.release(3)).toEqual([]);
    expect(flow.inflightCount).toBe(1);
  });

  it('always lets a retransmission of an inflight packet through', () => {
    const flow = new OutboundFlowControl<{ messageId: number }>(1, 10);
    expect(flow.offer({ messageId: 1 })).toBe(true);
    expect(flow.offer({ messageId: 1 })).toBe(true);
    expect(flow.offer({ messageId: 2 })).toBe(false);
  });

  it('ends the connection (0x97) when more than maxHeld packets wait', () => {
    const flow = new OutboundFlowControl<{ messageId: number }>(1, 2);
    flow.offer({ messageId: 1 });
    flow.offer({ messageId: 2 });
    flow.offer({ messageId: 3 });
    expect(() => flow.offer({ messageId: 4 })).toThrow(Mqtt5ProtocolError);
    expect(flow.heldCount).toBe(2);
  });
});

import type { BodyCodec } from '../../codec/body-codec';
import { WireFormatError } from '../../frame/wire-format-error';

export type WireTransactionDecision = 'UNKNOWN' | 'COMMIT' | 'ROLLBACK';

/** A producer ends a transaction: after its local transaction, or in answer to a check. The response is empty. */
export interface EndTransactionRequest {
  producerGroup: string;
  transactionId: string;
  halfMsgId: string;
  decision: WireTransactionDecision;
  fromCheck: boolean;
}

const DECISIONS: readonly WireTransactionDecision[] = ['UNKNOWN', 'COMMIT', 'ROLLBACK'];

/** producerGroup | transactionId | halfMsgId | decision u8 (0 UNKNOWN, 1 COMMIT, 2 ROLLBACK) | fromCheck u8. */
export const endTransactionRequestCodec: BodyCodec<EndTransactionRequest> = {
  encode(writer, request) {
    writer.string(request.producerGroup);
    writer.string(request.transactionId);
    writer.string(request.halfMsgId);
    writer.u8(DECISIONS.indexOf(request.decision));
    writer.bool(request.fromCheck);
  },
  decode(reader) {
    const producerGroup = reader.string();
    const transactionId = reader.string();
    const halfMsgId = reader.string();
    const decisionByte = reader.u8();
    const decision = DECISIONS[decisionByte];
    if (!decision) throw new WireFormatError(`unknown transaction decision ${decisionByte}`);
    return { producerGroup, transactionId, halfMsgId, decision, fromCheck: reader.bool() };
  },
};

import { WireFormatError } from '../frame/wire-format-error';
import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';
import type { WireExpressionType, WireSubscription } from './wire-subscription';

const EXPRESSION_TYPES: readonly (WireExpressionType | undefined)[] = [undefined, 'TAG', 'SQL92'];

/** expression type u8 (0 none, 1 TAG, 2 SQL92) | expression (empty when none). */
export const wireSubscriptionCodec = {
  encode(writer: ByteWriter, subscription: WireSubscription | undefined): void {
    writer.u8(subscription ? EXPRESSION_TYPES.indexOf(subscription.expressionType) : 0);
    writer.string(subscription?.expression);
  },

  decode(reader: ByteReader): WireSubscription | undefined {
    const typeByte = reader.u8();
    const expression = reader.string();
    if (typeByte >= EXPRESSION_TYPES.length) throw new WireFormatError(`unknown subscription expression type ${typeByte}`);
    const expressionType = EXPRESSION_TYPES[typeByte];
    return expressionType && { expressionType, expression };
  },
};

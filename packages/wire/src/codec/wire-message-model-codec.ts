import { WireFormatError } from '../frame/wire-format-error';
import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';

export type WireMessageModel = 'CLUSTERING' | 'BROADCASTING';

const MODELS: readonly WireMessageModel[] = ['CLUSTERING', 'BROADCASTING'];

/** A consumer group member's message model as one byte: 0 CLUSTERING, 1 BROADCASTING. */
export const wireMessageModelCodec = {
  encode(writer: ByteWriter, model: WireMessageModel): void {
    writer.u8(MODELS.indexOf(model));
  },

  decode(reader: ByteReader): WireMessageModel {
    const modelByte = reader.u8();
    const model = MODELS[modelByte];
    if (!model) throw new WireFormatError(`unknown message model ${modelByte}`);
    return model;
  },
};

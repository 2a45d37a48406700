import { inject, injectable } from 'inversify';
import { StorageEngine, type AppendMessage, type AppendResult, type OnReadable } from '../storage/storage-engine';
import type { ReplicationDriver } from './replication-driver';

/** Single-node replication: writes go straight to the storage engine. */
@injectable()
export class LocalReplicationDriver implements ReplicationDriver {
  readonly name = 'local';

  constructor(@inject(StorageEngine) private readonly storage: StorageEngine) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  append(messages: readonly AppendMessage[], onReadable?: OnReadable): Promise<AppendResult[]> {
    return this.storage.append(messages, onReadable);
  }

  isWritable(): boolean {
    return true;
  }
}

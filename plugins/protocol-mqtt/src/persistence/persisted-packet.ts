/** A packet as aedes hands it to the persistence: mqtt-packet fields plus aedes' own (brokerId, brokerCounter, ...). */
export interface PersistedPacket {
  [field: string]: unknown;
  cmd?: string;
  topic?: string;
  payload?: Buffer | Uint8Array | string;
  qos?: number;
  messageId?: number;
  brokerId?: string;
  brokerCounter?: number;
  clientId?: string;
}

/** One stored subscription of a client, as the reference persistence keeps it. */
export interface SubscriptionRecord {
  [field: string]: unknown;
  qos: number;
  rh?: number;
  rap?: boolean;
  nl?: boolean;
  subscriptionIdentifier?: number;
}

export const MqttProtocolOptions = Symbol.for('tessera.protocol-mqtt.Options');

export interface MqttUser {
  username: string;
  password: string;
}

/** What one client may do; an entry without `username` applies to every client, anonymous ones included. */
export interface MqttAclEntry {
  username?: string;
  /** MQTT topic filters the client may publish to. */
  publish: string[];
  /** MQTT topic filters the client may subscribe to (a subscription must lie within one of them). */
  subscribe: string[];
}

export interface MqttTlsOptions {
  keyFile: string;
  certFile: string;
}

export interface MqttProtocolOptions {
  host: string;
  /** MQTT over TCP (or TLS when `tls` is set); 0 picks a free port. */
  port: number;
  /** MQTT over WebSocket on `wsPath`; 0 picks a free port, null turns the listener off. */
  wsPort: number | null;
  wsPath: string;
  /** Both listeners speak TLS (mqtts, wss) when set. */
  tls?: MqttTlsOptions;
  /** Largest MQTT packet accepted, fixed header included; a larger one closes the connection. */
  maxPacketSize: number;
  /** `first-level`: the first MQTT topic level names the Tessera topic; `fixed`: every message goes to `topic`. */
  topicMapping: 'first-level' | 'fixed';
  topic: string;
  allowAnonymous: boolean;
  users: MqttUser[];
  /** Empty: every client may publish and subscribe anywhere. Otherwise only where an entry allows. */
  acl: MqttAclEntry[];
  /** How often the log bridge looks for new topics and queues to follow. */
  bridgeRescanMs: number;
}

export const MqttProtocolOptions = Symbol.for('tessera.protocol-mqtt.Options');

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
  /** MQTT 5 Receive Maximum: QoS 1/2 publishes a v5 client may have unacknowledged (more: DISCONNECT 0x93). */
  receiveMaximum: number;
  /** MQTT 5 Topic Alias Maximum: aliases a v5 client may define (0: none). */
  topicAliasMaximum: number;
  /** QoS 1/2 messages held for a v5 client that reached its own Receive Maximum; beyond, it is disconnected (0x97). */
  maxHeldPublishes: number;
  /**
   * Longest keep alive (seconds) a client may use. A v5 client asking for more, or for none, is
   * given this one (CONNACK Server Keep Alive); a 3.1.1 client is refused (CONNACK 2), having no
   * way to be told. Absent: the client's own.
   */
  keepaliveLimit?: number;
  /**
   * MQTT 5 Response Information: a v5 client whose CONNECT sets Request Response Information gets
   * `<responseTopicPrefix><client id>/` in its CONNACK, to build its response topics on. Absent: none.
   */
  responseTopicPrefix?: string;
  /** `first-level`: the first MQTT topic level names the Tessera topic; `fixed`: every message goes to `topic`. */
  topicMapping: 'first-level' | 'fixed';
  topic: string;
  /** Clients without a user name are accepted (with the user store's `anonymousPermissions`). Users are the broker's UserStore's. */
  allowAnonymous: boolean;
  /** Empty: no restriction beyond the user store's permissions. Otherwise only where an entry allows, too. */
  acl: MqttAclEntry[];
  /** How often the log bridge looks for new topics and queues to follow. */
  bridgeRescanMs: number;
  /** Seconds between updates of the `$SYS/broker/…` status topics (Mosquitto's sys_interval); 0 publishes none. */
  sysIntervalSeconds: number;
}

/** Queue 0 of this system topic holds the MQTT persistence journal. */
export const MQTT_JOURNAL_TOPIC = '%SYS%MQTT_PERSISTENCE';

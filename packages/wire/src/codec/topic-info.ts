import type { WireTopicPermission } from './topic-permission-codec';

export interface TopicInfo {
  name: string;
  writeQueueCount: number;
  readQueueCount: number;
  permission: WireTopicPermission;
  system: boolean;
  createdAt: number;
}

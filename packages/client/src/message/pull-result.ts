import type { ReceivedMessage } from './received-message';

export type PullStatus = 'FOUND' | 'NO_NEW_MESSAGE' | 'NO_MATCHED_MESSAGE' | 'OFFSET_TOO_SMALL' | 'OFFSET_OVERFLOW' | 'NO_QUEUE';

export interface PullResult {
  status: PullStatus;
  messages: ReceivedMessage[];
  nextOffset: number;
  minOffset: number;
  maxOffset: number;
}

import { KERNEL_TOPIC_PREFIX } from '../topic/topic-config';

/** Queue 0 of this topic holds the POP journal. The registry never lists it; clients cannot name it. */
export const POP_JOURNAL_TOPIC = `${KERNEL_TOPIC_PREFIX}POP_JOURNAL`;

import { MemoryStorageEngine } from '@tessera/testing';
import { SystemTopicJournal } from './system-topic-journal';

describe('SystemTopicJournal', () => {
  it('appends bodies at consecutive offsets, reads one back, and replays from an offset in order', async () => {
    const engine = new MemoryStorageEngine();
    await engine.open();
    const journal = new SystemTopicJournal(
      { appendToSystemTopic: (messages) => engine.append(messages), readSystemTopic: (request) => engine.read(request), queueRange: (t, q) => engine.queueRange(t, q) },
      '%SYS%TEST_JOURNAL',
    );
    expect(journal.endOffset).toBe(0);
    const offsets = await Promise.all(['a', 'b', 'c'].map((body) => journal.append(Buffer.from(body))));
    await journal.settled();
    expect(offsets).toEqual([0, 1, 2]);
    expect(journal.endOffset).toBe(3);
    expect((await journal.read(1))?.toString()).toBe('b');
    expect(await journal.read(7)).toBeUndefined();
    const replayed: string[] = [];
    expect(await journal.replay(1, (body, offset) => replayed.push(`${offset}:${body}`))).toEqual({ from: 1, to: 3 });
    expect(replayed).toEqual(['1:b', '2:c']);
    await engine.close();
  });
});

import { slowFlushesIn } from './slow-flushes-in';

describe('slowFlushesIn', () => {
  it('adds up the slow-fdatasync warnings of a broker log and keeps the slowest', () => {
    const output = [
      '{"level":30,"msg":"broker started"}',
      '{"level":40,"slowFlushes":3,"slowestMs":240,"lastBytes":1024,"msg":"log fdatasync took over 100 ms: the disk is stalling SYNC acks"}',
      '{"level":40,"slowFlushes":1,"slowestMs":120,"msg":"log fdatasync took over 100 ms: the disk is stalling SYNC acks"}',
      'lowFlushes":2,"slowestMs":900,"msg":"log fdatasync took over 100 ms',
    ].join('\n');
    expect(slowFlushesIn(output)).toEqual({ count: 4, slowestMs: 240 });
  });

  it('finds none in a quiet log', () => {
    expect(slowFlushesIn('{"msg":"broker started"}\n')).toEqual({ count: 0, slowestMs: 0 });
  });
});

import { ShareFilter } from './share-filter';

describe('ShareFilter', () => {
  it('splits $share/<name>/<filter> into the share name and the inner filter', () => {
    expect(ShareFilter.parse('$share/g/sensors/#')).toMatchObject({ topic: '$share/g/sensors/#', shareName: 'g', filter: 'sensors/#' });
    expect(ShareFilter.parse('$share/workers/a/+/c')).toMatchObject({ shareName: 'workers', filter: 'a/+/c' });
    expect(ShareFilter.parse('$share/g/#')).toMatchObject({ shareName: 'g', filter: '#' });
    expect(ShareFilter.parse('$share/g//')).toMatchObject({ shareName: 'g', filter: '/' });
  });

  it.each(['$share/', '$share/g', '$share/g/', '$share//sensors/#', '$share/+/sensors/#', '$share/#', '$share/a#/x', '$share/a+b/x'])(
    'refuses the malformed %s',
    (topic) => {
      expect(ShareFilter.parse(topic)).toBeUndefined();
      expect(ShareFilter.matchingFilterOf(topic)).toBeUndefined();
    },
  );

  it('leaves other filters alone', () => {
    expect(ShareFilter.parse('sensors/#')).toBeUndefined();
    expect(ShareFilter.parse('$SYS/#')).toBeUndefined();
    expect(ShareFilter.parse('$sharex/g/a')).toBeUndefined();
    expect(ShareFilter.isShared('$share/g/a')).toBe(true);
    expect(ShareFilter.isShared('share/g/a')).toBe(false);
    expect(ShareFilter.matchingFilterOf('sensors/+/temp')).toBe('sensors/+/temp');
    expect(ShareFilter.matchingFilterOf('$share/g/sensors/+/temp')).toBe('sensors/+/temp');
  });
});

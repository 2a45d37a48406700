import { ConfiguredUserStore } from '@tessera/kernel';
import { ConnackReturnCode, MqttAccessControl } from './mqtt-access-control';
import { MqttTopicMapping } from './mqtt-topic-mapping';

const users = new ConfiguredUserStore({
  users: [
    { username: 'alice', password: 'wonderland' },
    { username: 'bob', password: 'builder' },
    { username: 'sensor', password: 's', permissions: { produce: ['sensors'], consume: ['commands', 'sensors'] } },
    { username: 'reader', password: 'r', permissions: { produce: [], consume: ['*'] } },
  ],
  anonymousPermissions: { produce: [], consume: ['public'] },
});
const firstLevel = new MqttTopicMapping({ topicMapping: 'first-level', topic: 'mqtt' });

function accessControl(options: { allowAnonymous?: boolean; acl?: ConstructorParameters<typeof MqttAccessControl>[1]['acl'] } = {}, mapping = firstLevel) {
  return new MqttAccessControl(users, { allowAnonymous: options.allowAnonymous ?? true, acl: options.acl ?? [] }, mapping);
}

describe('MqttAccessControl', () => {
  it('accepts anonymous clients only when allowed', () => {
    expect(accessControl({ allowAnonymous: true }).authenticate(undefined, undefined)).toBe(ConnackReturnCode.ACCEPTED);
    expect(accessControl({ allowAnonymous: false }).authenticate(undefined, undefined)).toBe(ConnackReturnCode.NOT_AUTHORIZED);
  });

  it("checks user names and passwords against the broker's user store", () => {
    const access = accessControl({ allowAnonymous: false });
    expect(access.authenticate('alice', Buffer.from('wonderland'))).toBe(ConnackReturnCode.ACCEPTED);
    expect(access.authenticate('alice', Buffer.from('builder'))).toBe(ConnackReturnCode.BAD_USERNAME_OR_PASSWORD);
    expect(access.authenticate('alice', undefined)).toBe(ConnackReturnCode.BAD_USERNAME_OR_PASSWORD);
    expect(access.authenticate('mallory', Buffer.from('wonderland'))).toBe(ConnackReturnCode.BAD_USERNAME_OR_PASSWORD);
  });

  it('allows everything to a user without permissions when there is no ACL', () => {
    const access = accessControl();
    expect(access.mayPublish(access.principalOf('alice'), 'any/topic')).toBe(true);
    expect(access.mayPublish(access.principalOf('alice'), '$app/x')).toBe(true);
    expect(access.maySubscribe(access.principalOf('bob'), '#')).toBe(true);
  });

  it("applies the store's produce and consume permissions to the Tessera topic of the MQTT topic", () => {
    const access = accessControl();
    const sensor = access.principalOf('sensor');
    expect(access.mayPublish(sensor, 'sensors/room1/temp')).toBe(true);
    expect(access.mayPublish(sensor, 'commands/room1')).toBe(false);
    expect(access.maySubscribe(sensor, 'commands/+')).toBe(true);
    expect(access.maySubscribe(sensor, 'sensors')).toBe(true);
    expect(access.maySubscribe(sensor, 'alerts/#')).toBe(false);
    const anonymous = access.principalOf(undefined);
    expect(access.maySubscribe(anonymous, 'public/#')).toBe(true);
    expect(access.mayPublish(anonymous, 'public/notes')).toBe(false);
  });

  it('lets a wildcard first level through only for a user who may consume every topic, and keeps $ topics from restricted users', () => {
    const access = accessControl();
    expect(access.maySubscribe(access.principalOf('sensor'), '#')).toBe(false);
    expect(access.maySubscribe(access.principalOf('sensor'), '+/room1')).toBe(false);
    expect(access.maySubscribe(access.principalOf('reader'), '+/room1')).toBe(true);
    expect(access.maySubscribe(access.principalOf('reader'), '$SYS/#')).toBe(false);
    expect(access.mayPublish(access.principalOf('sensor'), '$app/x')).toBe(false);
    expect(access.mayPublish(access.principalOf('sensor'), `${'x'.repeat(200)}/y`)).toBe(false);
  });

  it('checks the one topic of fixed mode', () => {
    const access = accessControl({}, new MqttTopicMapping({ topicMapping: 'fixed', topic: 'sensors' }));
    expect(access.mayPublish(access.principalOf('sensor'), 'anything/at/all')).toBe(true);
    expect(access.maySubscribe(access.principalOf('sensor'), '#')).toBe(true);
    expect(access.maySubscribe(access.principalOf(undefined), '#')).toBe(false);
  });

  it('applies the ACL on top: only what an entry for the user (or for everyone) grants', () => {
    const access = accessControl({
      acl: [
        { username: 'alice', publish: ['sensors/+/temp'], subscribe: ['sensors/#'] },
        { username: 'sensor', publish: ['sensors/+/temp'], subscribe: ['#'] },
        { publish: ['public/#'], subscribe: ['public/#'] },
      ],
    });
    const alice = access.principalOf('alice');
    const bob = access.principalOf('bob');
    expect(access.mayPublish(alice, 'sensors/room1/temp')).toBe(true);
    expect(access.mayPublish(alice, 'sensors/room1/hum')).toBe(false);
    expect(access.mayPublish(alice, 'public/notes')).toBe(true);
    expect(access.mayPublish(bob, 'sensors/room1/temp')).toBe(false);
    expect(access.mayPublish(access.principalOf(undefined), 'public/a/b')).toBe(false);
    expect(access.maySubscribe(alice, 'sensors/+/temp')).toBe(true);
    expect(access.maySubscribe(alice, '#')).toBe(false);
    expect(access.maySubscribe(bob, 'sensors/#')).toBe(false);
    expect(access.maySubscribe(bob, 'public/+')).toBe(true);
    // The ACL allows '#', the store only some topics: both must agree.
    expect(access.maySubscribe(access.principalOf('sensor'), 'alerts/#')).toBe(false);
    expect(access.maySubscribe(access.principalOf('sensor'), 'sensors/#')).toBe(true);
  });
});

import { ConnackReturnCode, MqttAccessControl } from './mqtt-access-control';

const users = [
  { username: 'alice', password: 'wonderland' },
  { username: 'bob', password: 'builder' },
];

describe('MqttAccessControl', () => {
  it('accepts anonymous clients only when allowed', () => {
    expect(new MqttAccessControl({ allowAnonymous: true, users, acl: [] }).authenticate(undefined, undefined)).toBe(ConnackReturnCode.ACCEPTED);
    expect(new MqttAccessControl({ allowAnonymous: false, users, acl: [] }).authenticate(undefined, undefined)).toBe(ConnackReturnCode.NOT_AUTHORIZED);
  });

  it('checks user names and passwords', () => {
    const access = new MqttAccessControl({ allowAnonymous: false, users, acl: [] });
    expect(access.authenticate('alice', Buffer.from('wonderland'))).toBe(ConnackReturnCode.ACCEPTED);
    expect(access.authenticate('alice', Buffer.from('builder'))).toBe(ConnackReturnCode.BAD_USERNAME_OR_PASSWORD);
    expect(access.authenticate('alice', undefined)).toBe(ConnackReturnCode.BAD_USERNAME_OR_PASSWORD);
    expect(access.authenticate('mallory', Buffer.from('wonderland'))).toBe(ConnackReturnCode.BAD_USERNAME_OR_PASSWORD);
  });

  it('allows everything when there is no ACL', () => {
    const access = new MqttAccessControl({ allowAnonymous: true, users, acl: [] });
    expect(access.mayPublish(undefined, 'any/topic')).toBe(true);
    expect(access.maySubscribe('bob', '#')).toBe(true);
  });

  it('allows only what an entry for the user (or for everyone) grants', () => {
    const access = new MqttAccessControl({
      allowAnonymous: true,
      users,
      acl: [
        { username: 'alice', publish: ['sensors/+/temp'], subscribe: ['sensors/#'] },
        { publish: ['public/#'], subscribe: ['public/#'] },
      ],
    });
    expect(access.mayPublish('alice', 'sensors/room1/temp')).toBe(true);
    expect(access.mayPublish('alice', 'sensors/room1/hum')).toBe(false);
    expect(access.mayPublish('alice', 'public/notes')).toBe(true);
    expect(access.mayPublish('bob', 'sensors/room1/temp')).toBe(false);
    expect(access.mayPublish(undefined, 'public/a/b')).toBe(true);
    expect(access.maySubscribe('alice', 'sensors/+/temp')).toBe(true);
    expect(access.maySubscribe('alice', '#')).toBe(false);
    expect(access.maySubscribe('bob', 'sensors/#')).toBe(false);
    expect(access.maySubscribe('bob', 'public/+')).toBe(true);
  });
});

import { PublisherCredit } from './publisher-credit';

describe('PublisherCredit', () => {
  it('grants the window, then again once half of it was settled, never more than the window in all', () => {
    const credit = new PublisherCredit(10);
    let remaining = credit.initial();
    expect(remaining).toBe(10);
    for (let i = 0; i < 10; i++) {
      credit.transferArrived();
      remaining--;
    }
    const grants: number[] = [];
    for (let i = 0; i < 10; i++) {
      const grant = credit.settled(remaining);
      remaining += grant;
      grants.push(grant);
    }
    expect(grants).toEqual([0, 0, 0, 0, 5, 0, 0, 0, 0, 5]);
    expect(remaining).toBe(10);
  });

  it('counts the credit the client still holds', () => {
    const credit = new PublisherCredit(8);
    let remaining = credit.initial();
    const arrive = (count: number) => {
      for (let i = 0; i < count; i++) credit.transferArrived();
      remaining -= count;
    };
    const settle = () => {
      const grant = credit.settled(remaining);
      remaining += grant;
      return grant;
    };
    arrive(1);
    expect(settle()).toBe(0);
    arrive(4);
    expect([settle(), settle(), settle(), settle()]).toEqual([0, 0, 4, 0]);
    expect(remaining).toBe(7);
  });
});
